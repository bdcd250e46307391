// Lint rules, including the import rules of the layer diagram (README, "Architecture"):
// a violation fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Import patterns a layer must not use, as `no-restricted-imports` patterns. */
const forbid = (layers, why) => ({
  group: layers.flatMap((l) => [`**/${l}`, `**/${l}/**`]),
  message: why,
});
const restrict = (files, patterns) => ({
  files,
  ignores: ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const UI = ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'd3', 'd3-*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'public/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  // Command-line programs print their results.
  { files: ['bench/**', 'scripts/**', 'cli/**'], rules: { 'no-console': 'off' } },
  {
    files: ['src/**/*.tsx', 'src/views/**/*.ts', 'src/app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Layer rules (STYLE.md §2): who may import whom.
  restrict(['src/analysis/**'], [
    { group: UI, message: 'src/analysis is pure: typed arrays in, plain objects out.' },
    forbid(['model', 'formats', 'state', 'views', 'app', 'compute', 'workers'], 'src/analysis imports nothing else in the project.'),
  ]),
  restrict(['src/model/**'], [
    { group: UI, message: 'src/model is pure types.' },
    forbid(['analysis', 'formats', 'state', 'views', 'app', 'compute', 'workers'], 'src/model imports nothing.'),
  ]),
  restrict(['src/formats/**'], [
    { group: UI, message: 'src/formats is pure: no UI libraries.' },
    forbid(['state', 'views', 'app', 'compute', 'workers'], 'src/formats may import only src/model (and the seeded RNG in tests).'),
  ]),
  restrict(['workers/**'], [
    { group: UI, message: 'workers are thin dispatchers: no UI libraries.' },
    forbid(['state', 'views', 'app', 'compute'], 'workers may import analysis, formats, model and workers/protocol only.'),
  ]),
  restrict(['cli/**'], [
    { group: UI, message: 'the CLI prints text: no UI libraries.' },
    forbid(['state', 'views', 'app', 'compute', 'workers/*.worker'], 'cli may import analysis, formats, model and the worker-free scan code.'),
  ]),
  restrict(['src/compute/**'], [
    { group: UI, message: 'src/compute is the main-thread worker client: no UI.' },
    forbid(['state', 'views', 'app'], 'src/compute may import model and types from workers/protocol.'),
  ]),
  restrict(['src/state/**'], [
    { group: ['react', 'react-dom', 'react-dom/*', 'd3', 'd3-*'], message: 'src/state holds no React components or D3 DOM code.' },
    forbid(['views', 'app', 'formats', 'workers/*.worker'], 'src/state may import model, compute and analysis types.'),
  ]),
  restrict(['src/views/**'], [
    forbid(['formats', 'workers', 'compute', 'app'], 'src/views draw data; they never read files or talk to workers.'),
  ]),
);
