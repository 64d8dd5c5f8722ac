import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPath } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { createTestTeacher } from '../testing.ts';

// 100,000 students with no activity, exported through a real API process whose memory is sampled: the
// export must stay within a fixed ceiling (a batch of rows and the response's buffers), and its content
// must be the database's, row for row.
const ROWS = 100_000;
/**
 * Heap + Buffers (garbage included) the export may add to the idle server: measured about 20 MB for CSV and
 * 45 MB for XLSX; the same export holding every row before writing took 131 MB and 86 MB.
 */
const CEILING_BYTES = 64 * 1024 * 1024;

const { orm, url } = await useTestDatabase();
const sql = <T extends object>(text: string, params: unknown[] = []) =>
  orm.em.fork().execute<T[]>(text, params);
// One transaction without the statement timeout: 100,000 inserts (and their audit rows) take a while.
await orm.em.fork().transactional(async (tx) => {
  await tx.execute(`set local statement_timeout = 0`);
  await tx.execute(
    `insert into student (email, name, grade, created_at)
     select 'bulk' || i || '@mergington.edu', 'Bulk Student ' || lpad(i::text, 6, '0'), 9 + i % 4,
            timestamptz '2026-01-01' + i * interval '1 second 1 millisecond'
       from generate_series(1, ?) i`,
    [ROWS],
  );
});
const teacher = await createTestTeacher(orm);

const child: ChildProcess = fork(fileURLToPath(new URL('./memory-child.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=256'],
  env: { ...process.env, DATABASE_URL: url },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
afterAll(() => {
  child.send('stop');
});
const ask = async <T>(question?: string): Promise<T> => {
  const answer = once(child, 'message') as Promise<[T]>;
  if (question) child.send(question);
  return (await answer)[0];
};
const { port } = await ask<{ port: number }>();

async function exportOf(format: 'csv' | 'xlsx', onChunk: (chunk: Uint8Array) => void) {
  await ask('baseline');
  const response = await fetch(`http://127.0.0.1:${port}${exportPath('no-activity', format)}`, {
    headers: { authorization: `Bearer ${teacher.token}` },
  });
  expect(response.status).toBe(200);
  for await (const chunk of response.body!) onChunk(chunk);
  const { baseline, peak } = await ask<{ baseline: number; peak: number }>('peak');
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  console.log(
    `${format}: ${ROWS} rows, server heap + buffers ${mb(baseline)} MB before, ${mb(peak)} MB at peak`,
  );
  return peak - baseline;
}

describe(`an export of ${ROWS.toLocaleString('en')} rows`, () => {
  it('CSV: stays under the memory ceiling, and holds exactly the database’s rows', async () => {
    const hash = createHash('sha256');
    let text = '';
    let lines = 0;
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const grown = await exportOf('csv', (chunk) => {
      text += decoder.decode(chunk, { stream: true });
      const end = text.lastIndexOf('\r\n');
      if (end < 0) return;
      for (const line of text.slice(0, end).split('\r\n')) {
        if (lines++ > 0) hash.update(`${line}\n`);
      }
      text = text.slice(end + 2);
    });
    expect(lines).toBe(ROWS + 1);
    // The same rows, formatted by PostgreSQL itself, in the report's order.
    const [expected] = await sql<{ digest: string }>(
      `select encode(sha256(convert_to(string_agg(
                s.id || ',' || s.name || ',' || s.email || ',' || s.grade || ',' ||
                to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || chr(10),
                '' order by s.name, s.id), 'UTF8')), 'hex') as digest
         from student s where not exists (select 1 from activity_participant p where p.student_id = s.id)`,
    );
    expect(hash.digest('hex')).toBe(expected!.digest);
    expect(grown).toBeLessThan(CEILING_BYTES);
  });

  it('XLSX: stays under the memory ceiling', async () => {
    let bytes = 0;
    const grown = await exportOf('xlsx', (chunk) => (bytes += chunk.length));
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(grown).toBeLessThan(CEILING_BYTES);
  });
});
