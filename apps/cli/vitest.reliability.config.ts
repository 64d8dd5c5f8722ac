// Part of pnpm test:reliability: the importer, the API mid-commit and a restore killed with SIGKILL.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/interrupted.test.ts'],
    globalSetup: [fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup'))],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
