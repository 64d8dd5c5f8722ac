// pnpm bench:export: 100,000 rows exported as CSV and XLSX over HTTP by a real API process whose memory is
// sampled, beside `psql \copy` of the same query to CSV. Prints rows/s and the server's peak memory. See the
// README (Reports and exports).
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { exportPath, initORM } from '@mergington/db';
import { createTestTeacher } from '../src/testing.ts';
import { freshBenchDatabase } from './load-client.ts';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);

const url = await freshBenchDatabase(SERVER, 'mergington_export');
const orm = await initORM({ url });
await orm.em.fork().transactional(async (tx) => {
  await tx.execute(`set local statement_timeout = 0`);
  await tx.execute(
    `insert into student (email, name, grade, created_at)
     select 'bulk' || i || '@mergington.edu', 'Bulk Student ' || lpad(i::text, 6, '0'), 9 + i % 4,
            timestamptz '2026-01-01' + i * interval '1 second'
       from generate_series(1, ?) i`,
    [ROWS],
  );
});
const teacher = await createTestTeacher(orm);
await orm.close();

const child = fork(fileURLToPath(new URL('../src/exports/memory-child.ts', import.meta.url)), {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  env: { ...process.env, DATABASE_URL: url },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = async <T>(question?: string): Promise<T> => {
  const answer = once(child, 'message') as Promise<[T]>;
  if (question) child.send(question);
  return (await answer)[0];
};
const { port } = await ask<{ port: number }>();
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

console.log(
  `\nexport of ${ROWS.toLocaleString('en')} students (the no-activity report); load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}\n`,
);
console.log('| how | seconds | rows/s | bytes | server heap + buffers at peak (idle) | server RSS at peak |');
console.log('| --- | --- | --- | --- | --- | --- |');

for (const format of ['csv', 'xlsx'] as const) {
  await ask('baseline');
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}${exportPath('no-activity', format)}`, {
    headers: { authorization: `Bearer ${teacher.token}` },
  });
  let bytes = 0;
  for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
  const seconds = (performance.now() - started) / 1000;
  const { baseline, peak, rss } = await ask<{ baseline: number; peak: number; rss: number }>('peak');
  console.log(
    `| API, ${format.toUpperCase()} over HTTP | ${seconds.toFixed(2)} | ${Math.round(ROWS / seconds).toLocaleString('en')} | ${bytes.toLocaleString('en')} | ${mb(peak)} MB (${mb(baseline)} MB) | ${mb(rss)} MB |`,
  );
}
child.send('stop');

// The same rows, in the same order, written by PostgreSQL itself.
const query = `select s.id, s.name, s.email, s.grade, s.created_at from student s
                where not exists (select 1 from activity_participant p where p.student_id = s.id)
                order by s.name, s.id`;
const started = performance.now();
const csv = execFileSync(
  'psql',
  [url, '-X', '-q', '-c', `\\copy (${query.replace(/\s+/g, ' ')}) to stdout csv header`],
  {
    maxBuffer: 1024 * 1024 * 1024,
  },
);
const seconds = (performance.now() - started) / 1000;
console.log(
  `| psql \\copy to CSV | ${seconds.toFixed(2)} | ${Math.round(ROWS / seconds).toLocaleString('en')} | ${csv.length.toLocaleString('en')} | (psql) | (psql) |`,
);
