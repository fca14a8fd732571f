#!/usr/bin/env node
// Bundles the CLI (electron/core/cli.ts) into out/cli/ with esbuild, so that `dosedesk` starts
// without compiling TypeScript. ESM with code splitting: what a command imports only when it runs
// (the PDF and signing stack of `minutes`, the browser host of `serve`) is a chunk of its own, loaded
// by that command alone. zod is bundled (it is needed by every command, and one file loads faster than
// its hundred modules); the other npm packages stay external (better-sqlite3 is native; node-forge
// and the PDF libraries are loaded on use). Part of `npm run build`.
//
// out/cli/sources.json lists the source files in the bundle: bin/dosedesk.mjs compares their times with
// the bundle's, in a checkout, to fall back to the sources when the bundle is stale.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` (inside the checkout, so that the bundle finds node_modules): tests build their own copy.
const at = process.argv.indexOf('--outdir');
const out = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'out/cli');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const BUNDLED = new Set(['zod']);
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);

// zod's index carries every locale's error messages (about 300 kB, half of zod in the bundle): all
// parsed at every start, and only English is used (zod registers it itself). The CLI bundle gets an
// index with English alone; `z.locales.<other>` is undefined in the CLI (nothing calls it).
const englishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

// Chunk names change with their content: start from an empty folder so that no stale chunk remains.
fs.rmSync(out, { recursive: true, force: true });
const result = await build({
  // core-thread: the core's worker threads of `serve` (electron/core/worker/pool.ts looks for it beside its chunk).
  entryPoints: { cli: path.join(root, 'electron/core/cli.ts'), 'core-thread': path.join(root, 'electron/core/worker/thread.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  metafile: true,
  // Whitespace and syntax only: less to parse at every start; names kept for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [englishOnly],
  // import.meta.url of a chunk is out/cli/…; paths.ts finds resources/ by walking up from it.
});
const sources = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
fs.writeFileSync(path.join(out, 'sources.json'), JSON.stringify(sources, null, 1) + '\n');
fs.writeFileSync(path.join(out, 'meta.json'), JSON.stringify(result.metafile));
console.log(path.relative(root, path.join(out, 'cli.mjs')));
