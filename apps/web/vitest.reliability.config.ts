// Part of pnpm test:reliability: browser timings, which a busy machine must not fail in `pnpm test`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['reliability/**/*.test.ts'],
    globalSetup: [
      './e2e/chromium.ts',
      fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup')),
    ],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
