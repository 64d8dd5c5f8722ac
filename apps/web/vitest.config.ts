import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The database package's setup: TEST_DATABASE_URL, else a throwaway embedded PostgreSQL.
    globalSetup: [fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup'))],
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    // One browser at a time: each browser test file runs an API and a Chromium of its own.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
