// pnpm test:reliability: crashes, database restarts, overload and a full disk, one file at a time (they
// measure time and share two cores). Each test prints its figures.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['reliability/**/*.test.ts'],
    globalSetup: [fileURLToPath(import.meta.resolve('@mergington/db/testing/global-setup'))],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
