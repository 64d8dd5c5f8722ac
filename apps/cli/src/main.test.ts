import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiServer } from '@mergington/api';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { main } from './main.ts';

const { orm } = await useTestDatabase();
await seedSampleData(orm);
const server = createApiServer({ orm, logger: pino({ level: 'silent' }) });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;

async function run(...argv: string[]) {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('mergington', () => {
  it('lists the activities through the API', async () => {
    const { code, output } = await run('activities', '--url', url);
    expect(code).toBe(0);
    expect(output).toMatch(/^Chess Club\s+10 of 12 left {2}Mondays and Fridays, 3:15 PM - 4:45 PM$/m);
    expect(output.split('\n')).toHaveLength(12);
  });

  it('prints JSON on request', async () => {
    const { output } = await run('activities', '--url', url, '--json');
    expect(JSON.parse(output)).toHaveLength(12);
  });

  it('explains itself', async () => {
    expect(await run('--help')).toMatchObject({
      code: 0,
      output: expect.stringContaining('Usage: mergington'),
    });
    expect(await run('fly')).toMatchObject({
      code: 2,
      output: expect.stringContaining('Unknown command "fly"'),
    });
  });
});
