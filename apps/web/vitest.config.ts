import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Chromium for the browser tests first (found, or installed once as root on Debian; else one line and
    // nothing started), then the database package's: TEST_DATABASE_URL, else a throwaway embedded PostgreSQL.
    globalSetup: [
      './e2e/chromium.ts',
      fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup')),
    ],
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    // One browser at a time: each browser test file runs an API and a Chromium of its own.
    fileParallelism: false,
    testTimeout: 60_000,
    // A page on a busy machine can take longer than expect.poll's default second to show what it loaded.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
  },
});
