import type { Command } from '../cli';

// CLI commands of the safety feature.
export const safetyCommands: Record<string, Command> = {};
