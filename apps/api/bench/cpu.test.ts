import { spawn } from 'node:child_process';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { meterCpu } from './cpu.ts';

// bench:api's CPU accounting (what its second table prints), on work whose CPU is known to land where asked.
describe('meterCpu', () => {
  it('counts the client (this process), the database backends and the whole machine', async () => {
    const { url } = await useTestDatabase();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { cpu } = await meterCpu(url, undefined, async () => {
        // At least 0.3 s of this process's CPU, and then a statement that keeps a backend busy.
        const until = performance.now() + 300;
        while (performance.now() < until);
        await db.query('select count(*) from generate_series(1, 5000000)');
      });
      expect(cpu.client).toBeGreaterThanOrEqual(0.25);
      expect(cpu.postgres).toBeGreaterThan(0.1);
      expect(cpu.api).toBe(0);
      // Every process and the kernel: at least both parts (clock ticks: 10 ms each, so some slack).
      expect(cpu.machine).toBeGreaterThanOrEqual(cpu.client + cpu.postgres - 0.05);
    } finally {
      await db.end();
    }
  });

  it('counts a process the work names as the client', async () => {
    const { url } = await useTestDatabase();
    const { cpu } = await meterCpu(url, undefined, (clientIs) => {
      const child = spawn(process.execPath, ['-e', 'const t = Date.now() + 400; while (Date.now() < t);']);
      clientIs(child.pid!);
      return new Promise((resolve) => child.on('exit', resolve));
    });
    expect(cpu.client).toBeGreaterThanOrEqual(0.2);
  });
});
