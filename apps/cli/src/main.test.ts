import { describe, expect, it } from 'vitest';
import { startTestServer } from '@mergington/api/testing';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { main } from './main.ts';

const { orm } = await useTestDatabase();
await seedSampleData(orm);
const url = `${await startTestServer(orm)}/trpc`;

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
