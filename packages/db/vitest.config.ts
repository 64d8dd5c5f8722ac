import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // Concurrency tests hold many connections; each file still gets a database of its own.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
