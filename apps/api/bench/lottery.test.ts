import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

// pnpm bench:lottery run as the README says, at a small size, on a database of its own. No timing.
describe('the lottery benchmark', () => {
  it(
    'seeds a lottery, previews, publishes and reports no activity over capacity',
    { timeout: 300_000 },
    () => {
      const name = `mergington_lottery_test_${process.pid}`;
      const result = spawnSync('pnpm', ['bench:lottery'], {
        cwd: fileURLToPath(new URL('../../../', import.meta.url)),
        env: {
          ...process.env,
          BENCH_DATABASE_URL: inject('testServerUrl'),
          LOTTERY_STUDENTS: '150',
          LOTTERY_DATABASE: name,
        },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/allocate \(pure\), 5 seeds: median \d+ ms/);
      expect(result.stdout).toMatch(/activities over capacity: 0,/);
      expect(result.stdout).toMatch(/lottery: 150 students x 5 choices over 100 activities/);
    },
  );
});
