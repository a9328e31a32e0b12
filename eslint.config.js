// @ts-check
// `npm run lint`: typescript-eslint with type information (recommendedTypeChecked) and a few
// rules this code base relies on. Every finding is an error; CI runs it.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** What plain JavaScript files here may use without importing it (TypeScript files get it from @types/node). */
const NODE_GLOBALS = [
  'process',
  'console',
  'URL',
  'Buffer',
  'fetch',
  'AbortController',
  'performance',
  'structuredClone',
  'TextEncoder',
  'TextDecoder',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'queueMicrotask',
];

/** @type {import('eslint').Linter.RulesRecord} */
const ours = {
  // Node's globals come from @types/node through the type checker.
  'no-undef': 'off',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
  // Promises handed to event emitters and timers are deliberate; awaiting them is checked.
  '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
  '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
  '@typescript-eslint/switch-exhaustiveness-check': 'error',
};

const typeChecked = /** @type {import('eslint').Linter.RulesRecord} */ (
  Object.assign({}, js.configs.recommended.rules, ...tseslint.configs.recommendedTypeChecked.map((c) => c.rules ?? {}), ours)
);

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'docs/api/', 'node_modules/', 'test/reliability/.results/', '**/*.d.ts', 'test/consumer/fixtures/'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['tsdown.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: typeChecked,
  },
  {
    // The renderer's Preact hooks follow React's rules.
    files: ['src-desktop/renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: Object.fromEntries(NODE_GLOBALS.map((name) => [name, 'readonly'])) },
    rules: { ...js.configs.recommended.rules },
  },
);
