import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// electron-vite builds the three parts: main (ESM, better-sqlite3 left external), preload
// (CommonJS so that the renderer's sandbox can stay on) and the renderer (React). The renderer's
// start-up chunk holds the app shell and the Cohorts view; every other view, plotly and AG Grid are
// chunks loaded at their first use (renderer/src/views/index.ts, components/Plot.tsx).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // core-thread: the core's worker threads (electron/core/worker/pool.ts looks for it beside index.js).
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts'), 'core-thread': resolve(__dirname, 'electron/core/worker/thread.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // Not minified: minifying plotly's prebuilt strict bundle again broke its WebGL text (a forced-
      // WebGL swimmer on the CDISC pilot never finished drawing; test/e2e/plots.spec.ts). Unminified,
      // plotly's chunk is reformatted to 7 MB (its file is 5 MB) but it loads at the first plot only.
      minify: false,
      chunkSizeWarningLimit: 6000,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
