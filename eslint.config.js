// @ts-check
// `npm run lint`: typescript-eslint with type information (recommendedTypeChecked) and a few
// rules this code base relies on. Every finding is a warning for now; the goal is
// `--max-warnings 0`, after which `asWarnings` goes.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** What plain JavaScript files here may use without importing it (TypeScript files get it from @types/node). */
const NODE_GLOBALS = ['process', 'console', 'URL', 'Buffer', 'fetch', 'AbortController', 'performance', 'structuredClone', 'TextEncoder', 'TextDecoder',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask'];

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

/** The same rules and options, each at 'warn' (rules turned off stay off). */
function asWarnings(/** @type {import('eslint').Linter.RulesRecord} */ rules) {
  return Object.fromEntries(
    Object.entries(rules).map(([name, entry]) => {
      const [level, ...options] = Array.isArray(entry) ? entry : [entry];
      return [name, level === 'off' || level === 0 ? 'off' : ['warn', ...options]];
    }),
  );
}

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
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: asWarnings(typeChecked),
  },
  {
    // The renderer's Preact hooks follow React's rules.
    files: ['src-desktop/renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'warn', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: Object.fromEntries(NODE_GLOBALS.map((name) => [name, 'readonly'])) },
    rules: asWarnings({ ...js.configs.recommended.rules }),
  },
);
