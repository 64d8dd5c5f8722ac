import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The database package's setup: TEST_DATABASE_URL, else a throwaway embedded PostgreSQL.
    globalSetup: [fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup'))],
    // Killing real processes half-way is part of the reliability suite (`pnpm test:reliability`).
    exclude: [...configDefaults.exclude, 'test/interrupted.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
