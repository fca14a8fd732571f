// Dependency rules of the layer table in docs/ARCHITECTURE.md#the-layers, checked by dependency-cruiser in `npm test` and CI
// (`npm run deps`): no import cycles anywhere; shared/ imports nothing outside itself (zod aside);
// the renderer reaches the core only through the contract in shared/; Electron only in
// electron/main and electron/preload.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'features must not import each other in circles', from: {}, to: { circular: true } },
    {
      name: 'shared-stands-alone',
      severity: 'error',
      comment: 'shared/ is pure: the contract and clinical rules, no Node, no DOM, nothing of the app',
      from: { path: '^shared/' },
      // (^|/): also where node_modules is a symlink to another checkout's (a worktree, a test clone)
      to: { pathNot: ['^shared/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'renderer-through-contract',
      severity: 'error',
      comment: 'the renderer talks to the core only through the contract (shared/)',
      from: { path: '^renderer/' },
      to: { path: ['^electron/'] },
    },
    {
      name: 'electron-only-in-shell',
      severity: 'error',
      comment: 'Electron is imported only in electron/main and electron/preload',
      from: { pathNot: ['^electron/main/', '^electron/preload/', '^test/e2e/'] },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'core-not-from-shell',
      severity: 'error',
      comment: 'the core runs under plain Node: it never imports the Electron shell',
      from: { path: '^electron/core/' },
      to: { path: ['^electron/main/', '^electron/preload/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^out/', '^dist/', '^node_modules/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
