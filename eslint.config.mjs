// The linter with the house rules. Recommended JS and TypeScript rules, plus
// the ones this project depends on: data reaches the dashboard's DOM as text,
// the script tag never writes to the host page's console, no code is built
// from strings, and the worker never reaches for the runtime's globals from a
// flow (waitUntil is passed in).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'worker/dashboard/dist/**', 'node_modules/**', 'test/**/.state*/**', 'test/e2e/artifacts/**', '.wrangler/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      'no-eval': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'cloudflare:workers', message: 'Take waitUntil and env as parameters: flows and handlers stay testable and runtime-free.' }] }],
    },
  },
  {
    files: ['worker/dashboard/**/*.js'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Data reaches the DOM as text: use textContent or dom.js h().' },
        { property: 'outerHTML', message: 'Data reaches the DOM as text.' },
        { property: 'insertAdjacentHTML', message: 'Data reaches the DOM as text.' },
      ],
    },
  },
  {
    files: ['sdk/**/*.ts'],
    rules: {
      'no-console': ['error', { allow: ['warn'] }], // one warning when the tag's set-up is broken; nothing else
      // The script tag is written for its byte budget: `x == y` and `a(), b()` where
      // terser cannot prove the shorter form safe from `===` and statements.
      eqeqeq: 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['test/**/*.{ts,mjs,js}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
