import { describe, expect, it } from 'vitest';
import { startTestServer } from '@mergington/api/testing';
import { useTestDatabase } from '@mergington/db/testing';
import { adminToken } from '../test/admin.ts';
import { tempFiles } from '../test/temp-files.ts';
import { inParts, PART_BYTES } from './import.ts';
import { main } from './main.ts';

// The API refuses a body over MAX_BODY_BYTES (1 MiB by default): parts are sized in bytes as well as
// records, so that a school of long texts uploads as well as one of short rows.
const { orm } = await useTestDatabase();
const url = `${await startTestServer(orm)}/trpc`;
const token = await adminToken(orm);

/** News items of about 19 KB each: 5,000 of them would make one 95 MB part. */
const longNews = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    title: `Long read ${index}`,
    content: `${'A long report on the season. '.repeat(650)}(${index})`,
  }));

describe('import parts', () => {
  it('hold at most PART_BYTES of JSON each, and every record in order', async () => {
    const news = longNews(300);
    const parts = [];
    for await (const part of inParts(news.map((item) => ['news', item] as const))) parts.push(part);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(PART_BYTES);
    expect(parts.flatMap((part) => part.news ?? [])).toEqual(news);
  });

  it('fit under the API’s body limit: a 2.3 MB file of long news imports', async () => {
    const dir = await tempFiles({ 'school.json': { format: 'mergington/v1', news: longNews(120) } });
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['import', dir, '--url', url, `--token=${token}`],
      (line) => out.push(line),
      (line) => err.push(line),
    );
    expect({ code, err: err.join('\n') }).toEqual({ code: 0, err: '' });
    expect(out.join('\n')).toContain('Imported.');
    const counted = await orm.em
      .fork()
      .getConnection()
      .execute<{ count: number }[]>(`select count(*)::int as count from news`);
    expect(counted).toEqual([{ count: 120 }]);
  });
});
