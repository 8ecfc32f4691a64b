import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use `as const` unions, not enums.' }],
    },
  },
  {
    // A deferred transaction that reads before it writes fails at once ("database is locked") when another
    // connection committed meanwhile: transactions come from store/database.ts, which starts writes IMMEDIATE.
    files: ['src/**/*.ts'],
    ignores: ['src/store/database.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'transaction', message: 'Use writeTransaction/writeTransactionFn (or tempTablesTransactionFn) from store/database.ts.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
