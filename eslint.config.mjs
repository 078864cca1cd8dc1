import path from 'node:path';
import process from 'node:process';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** The event store port: what the application may import from src/eventstore (never an adapter). */
const storePort = ['eventStore.ts', 'errors.ts', 'position.ts', 'index.ts'].map((file) => `./src/eventstore/${file}`);
const storeAdapters = ['./src/eventstore/sqlite', './src/eventstore/eventstoredb'];

/**
 * The layers of DESIGN.md §2 as import-x zones. Paths are relative to the repository root, or to
 * LINT_LAYER_ROOT when set, so the lint proof can run this same file over a fixture tree laid out
 * like the repository. Pure layers are allow-lists: they
 * may import only the folders named in `except` (and packages, checked by `vendorRules`).
 */
const zones = [
  {
    target: './src/domain',
    from: '.',
    except: ['./src/domain', './src/errors', './src/jsutils', './node_modules'],
    message: 'src/domain is pure: it imports only src/domain, src/errors and src/jsutils.',
  },
  {
    target: './src/errors',
    from: '.',
    except: ['./src/errors', './src/jsutils', './node_modules'],
    message: 'src/errors is a shared pure folder: it imports only src/errors and src/jsutils.',
  },
  {
    target: './src/jsutils',
    from: '.',
    except: ['./src/jsutils', './node_modules'],
    message: 'src/jsutils holds one-file pure helpers: it imports nothing from another folder.',
  },
  {
    target: './src/application',
    from: '.',
    except: ['./src/application', './src/domain', ...storePort, './src/errors', './src/jsutils', './node_modules'],
    message: 'src/application imports only the domain, the event store port (src/eventstore/{eventStore,errors,position,index}.ts), src/errors and src/jsutils.',
  },
  {
    target: storePort,
    from: storeAdapters,
    message: 'The event store port never imports an adapter (the application reaches the port through it).',
  },
  {
    target: './src/graphql',
    from: storeAdapters,
    message: 'src/graphql never imports an event store adapter; it is handed the port.',
  },
  {
    target: './web',
    from: ['./src', './projections', './test', './bench', './scripts'],
    message: 'The web apps are built for the browser on their own: they import nothing from the server side.',
  },
];

/** A no-restricted-imports pattern for packages by name (regex fragments), never relative paths. */
const packages = (names, message) => ({ regex: `^(${names.join('|')})(/|$)`, message });
const sqlite = ['better-sqlite3'];
const esdb = ['@eventstore/[^/]+'];
const graphql = ['graphql', 'graphql-[^/]+', 'type-graphql', 'class-validator', '@apollo/[^/]+'];
const auth = ['jose'];
const sqliteOnly = packages(sqlite, 'better-sqlite3 is used only by the sqlite adapter, the read model and the projections.');
const esdbOnly = packages(esdb, '@eventstore/db-client is used only inside src/eventstore/eventstoredb.');
const graphqlOnly = packages(graphql, 'GraphQL libraries belong to src/graphql and the HTTP server.');
const authOnly = packages(auth, 'jose belongs to src/auth.');
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/** Vendor clients stay inside their adapters; pure layers use no vendor library and no Node module. */
const vendorRules = [
  {
    files: ['src/domain/**/*.ts', 'src/errors/**/*.ts', 'src/jsutils/**/*.ts'],
    rules: {
      ...restrict(packages([...sqlite, ...esdb, ...graphql, ...auth, 'pino'], 'src/domain, src/errors and src/jsutils are pure: they use no vendor library.')),
      'import-x/no-nodejs-modules': ['error'],
    },
  },
  { files: ['src/application/**/*.ts'], rules: restrict(sqliteOnly, esdbOnly, graphqlOnly, authOnly) },
  {
    files: ['src/**/*.ts', 'projections/**/*.ts'],
    ignores: ['src/domain/**', 'src/errors/**', 'src/jsutils/**', 'src/application/**', 'src/eventstore/sqlite/**', 'src/eventstore/eventstoredb/**', 'src/readmodel/**', 'projections/**'],
    rules: restrict(sqliteOnly, esdbOnly),
  },
  { files: ['src/eventstore/sqlite/**/*.ts', 'src/readmodel/**/*.ts', 'projections/**/*.ts'], rules: restrict(esdbOnly) },
  { files: ['src/eventstore/eventstoredb/**/*.ts'], rules: restrict(sqliteOnly) },
];

export default tseslint.config(
  // test/lint/fixtures break the rules on purpose; only the lint proof (test/lint) lints them.
  { ignores: ['dist/', '.test-build/', 'node_modules/', 'coverage/', 'data/', 'public/', 'jest.config.js', 'test/lint/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-default-export': 'error',
      // prefer-inline: `import { type A }` and `import { B }` from one module are one import.
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
      // Zones are relative to the repository (LINT_LAYER_ROOT: the lint proof's fixture tree instead),
      // so a run from a subfolder or an editor applies the same layers.
      'import-x/no-restricted-paths': ['error', { zones, basePath: process.env.LINT_LAYER_ROOT ?? root }],
    },
    settings: {
      // Without TypeScript extensions import-x skips .ts files when following imports, and no-cycle never fires.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: [path.join(root, 'tsconfig.json'), path.join(root, 'web/tsconfig.json')],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
  },
  ...vendorRules,
  // Small parts: no function over 60 lines and no file over 300 in the service's own code (issue 9).
  {
    files: ['src/**/*.ts', 'projections/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60 }], 'max-lines': ['error', { max: 300 }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Plain JavaScript (build scripts, this file) is in no tsconfig: lint it without type information.
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['eslint.config.mjs', 'test/testing/browserNotice.mjs'], rules: { 'import-x/no-default-export': 'off' } },
);
