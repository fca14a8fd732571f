// ESLint (flat config): typescript-eslint's recommended type-aware-free rules for all TypeScript,
// React hooks rules for the renderer. Part of `npm test` and CI (`npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Every eslint-disable comment says why after ` -- ` (ESLint's own description syntax); a small local
// rule because no installed plugin checks it.
const disableNeedsReason = {
  meta: { type: 'suggestion', schema: [], messages: { reason: 'eslint-disable without a reason: add " -- why" after the rule names' } },
  create(context) {
    return {
      Program() {
        for (const c of context.sourceCode.getAllComments()) {
          if (/^\s*eslint-disable(-next-line|-line)?\b/.test(c.value) && !/\s--\s+\S/.test(c.value)) context.report({ loc: c.loc, messageId: 'reason' });
        }
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.cache/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'local/disable-needs-reason': 'error',
    },
    plugins: { local: { rules: { 'disable-needs-reason': disableNeedsReason } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', performance: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' } },
  },
);
