import type { Command } from '../cli';

// CLI commands of the efficacy feature.
export const efficacyCommands: Record<string, Command> = {};
