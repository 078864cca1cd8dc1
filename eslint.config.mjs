import path from 'node:path';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Layers: the domain is pure; vendor clients stay inside their adapters. */
const layerRules = [
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', {
        zones: [{
          target: './src/domain',
          from: ['./src/eventstore', './src/application', './src/graphql', './src/readmodel', './src/auth', './src/http', './src/app.ts', './src/main.ts', './src/cli.ts', './src/config.ts', './src/logger.ts', './projections'],
          message: 'src/domain is pure: it imports nothing from other layers.',
        }],
      }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'http', 'crypto', 'better-sqlite3', '@eventstore/*', 'type-graphql', 'graphql', '@apollo/*', 'jose', 'pino'], message: 'src/domain does no I/O and uses no vendor library.' },
        ],
      }],
    },
  },
  {
    files: ['src/**/*.ts', 'projections/**/*.ts'],
    ignores: ['src/domain/**', 'src/eventstore/sqlite/**', 'src/eventstore/eventstoredb/**', 'src/readmodel/**', 'projections/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'better-sqlite3', message: 'better-sqlite3 is used only by the sqlite adapter and the read model.' }],
        patterns: [{ group: ['@eventstore/*'], message: '@eventstore/db-client is used only inside src/eventstore/eventstoredb.' }],
      }],
    },
  },
  {
    files: ['src/eventstore/sqlite/**/*.ts', 'src/readmodel/**/*.ts', 'projections/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@eventstore/*'], message: '@eventstore/db-client is used only inside src/eventstore/eventstoredb.' }],
      }],
    },
  },
  {
    files: ['src/eventstore/eventstoredb/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'better-sqlite3', message: 'better-sqlite3 is used only by the sqlite adapter and the read model.' }],
      }],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'public/', 'jest.config.js'] },
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
  ...layerRules,
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
