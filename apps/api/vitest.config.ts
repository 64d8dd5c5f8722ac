import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The database package's setup: TEST_DATABASE_URL, else a throwaway embedded PostgreSQL.
    globalSetup: [fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup'))],
    // The reliability suite (crashes, restarts, overload) has a config and a command of its own.
    exclude: [...configDefaults.exclude, 'reliability/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
