// `node --import ./test/helpers/trace-modules.mjs …`: records what the process loads into the file
// named by DOSEDESK_TRACE_MODULES, one line each — the ESM specifiers it resolves (through a resolve
// hook, trace-modules-hooks.mjs) and, at exit, every CommonJS file in require's cache (packages loaded
// with require or createRequire never pass through the ESM hooks).
import fs from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.DOSEDESK_TRACE_MODULES;
if (out) {
  register('./trace-modules-hooks.mjs', import.meta.url);
  process.on('exit', () => fs.appendFileSync(out, Object.keys(Module._cache).map((f) => `require ${f}\n`).join('')));
}
