// One flat config for the whole workspace; each package runs `eslint .` from its own folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js'], languageOptions: { globals: globals.node } },
  // Tests read raw JSON responses.
  { files: ['**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // The web app and the CLI take the contract (@mergington/contract) and the client, never the database side:
  // the browser bundle and the CLI's install stay free of the ORM, argon2 and pg. The API router is theirs as
  // types only. Tests, benches and harnesses start real databases, so they may use the database package.
  {
    files: ['apps/web/**/*.{ts,tsx}', 'apps/cli/**/*.ts'],
    ignores: [
      '**/*.test.{ts,tsx}',
      'apps/*/test/**',
      'apps/*/e2e/**',
      'apps/*/bench/**',
      'apps/*/reliability/**',
      'apps/*/vitest*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@mergington/api', allowTypeImports: true, message: 'Only types of the API router.' },
          ],
          patterns: [
            {
              group: ['@mergington/db', '@mergington/db/*', '@mikro-orm/*', 'argon2', 'pg'],
              message:
                'The web app and the CLI import @mergington/contract and @mergington/client, not the database side.',
            },
            {
              group: ['@mergington/api/*'],
              allowTypeImports: true,
              message: 'Only types of the API router.',
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
);
