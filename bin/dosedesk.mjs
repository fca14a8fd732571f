#!/usr/bin/env node
// The DoseDesk CLI: runs the TypeScript core directly through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/core/cli.ts');
process.exitCode = await main(process.argv.slice(2));
