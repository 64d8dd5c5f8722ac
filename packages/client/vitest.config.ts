import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The database package's setup: TEST_DATABASE_URL, else a throwaway embedded PostgreSQL.
    globalSetup: [fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup'))],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
