// ESLint for Tabadol: a few rules that catch real faults, not style (docs/layering.md explains each).
// The folders named here come from layers.config.cjs, shared with .dependency-cruiser.cjs.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import layers from './layers.config.cjs';

// Built-in error constructors: an error made from one of these has no coded type, so a caller,
// an admin or an operator would see an uncatalogued message.
const BUILTIN_ERROR = '/^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError)$/';
const FROM_THE_CATALOGUE =
  'Errors come from the catalogue: fail(Errors.X, detail) or new TabadolError(Errors.X, detail, { cause }) ' +
  '(src/errors/catalogue.ts; add an entry there if none fits).';

export default defineConfig(
  globalIgnores(['node_modules/', 'data/', '.tmp/', 'dist/']),

  // Correctness everywhere TypeScript is written (product, simulation, tests, benchmark): a promise
  // nobody awaits loses its rejection, and on Node an unhandled rejection ends the process.
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
    },
  },

  // Product code: src/ outside the simulation (src/simulation) and tests. The benchmark is
  // a harness for whoever measures the product, not part of what a node answers, so it is left out.
  {
    files: layers.globs('product'),
    ignores: layers.globs('simulation', 'tests'),
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `NewExpression[callee.name=${BUILTIN_ERROR}]`, message: FROM_THE_CATALOGUE },
        { selector: `CallExpression[callee.name=${BUILTIN_ERROR}]`, message: FROM_THE_CATALOGUE },
      ],
      // Log lines go through pino, whose redaction and path templates keep citizens' data out.
      'no-console': 'error',
    },
  },
);
