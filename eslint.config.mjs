// Lint rules: typescript-eslint's recommended set plus the house rules from ARCHITECTURE.md that a
// linter can check (no process.env outside server/config, no sequelize.sync(), server/protocol/ type-only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'public/build/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only server/config reads the environment.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='sync'][callee.object.name=/sequelize/i]",
          message: 'Schema changes go through migrations, never sync().',
        },
      ],
    },
  },
  {
    // The wire protocol is type-only and the leaf of the graph: the server, the browser bundles and
    // the tests import it; it imports nothing of theirs.
    files: ['server/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^\\.\\./', message: 'server/protocol/ imports only itself.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Program > :matches(VariableDeclaration, FunctionDeclaration, ClassDeclaration, TSEnumDeclaration), ExportNamedDeclaration > :matches(VariableDeclaration, FunctionDeclaration, ClassDeclaration, TSEnumDeclaration)',
          message: 'server/protocol/ holds types only: nothing of it exists at run time.',
        },
      ],
    },
  },
  {
    // Browser code knows the server only through the shared protocol, and the DOM-free formatters
    // the pages share with the views (one way to write dates, times, file sizes and guest roles).
    files: ['public/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)server/(?!(shared/(date-time-format|file-size|guest-roles)|protocol(/[a-z-]+)?)$)',
              message: 'Import wire types from server/protocol/, not server code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
