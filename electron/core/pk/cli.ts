import type { Command } from '../cli';

// CLI commands of the pk feature.
export const pkCommands: Record<string, Command> = {};
