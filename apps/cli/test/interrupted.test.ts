// Killed half-way, really: the importer, the API and a restore, each a real process, each killed with
// SIGKILL in the middle of its work; the database must be exactly as it was (or, for a commit the client
// was told had finished, fully imported). Needs only the database package's test setup (its vitest global
// setup) and ./admin.ts: the reliability suite runs this file as it is.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '@mergington/api/process';
import { backupDatabase, CANONICAL_FORMAT } from '@mergington/db';
import { databaseFingerprint, useTestDatabase } from '@mergington/db/testing';
import { adminToken } from './admin.ts';

const STUDENTS = 8_000;
const ACTIVITIES = 200;
const SIGNUPS_PER_STUDENT = 3;

const { orm, url } = await useTestDatabase();
const sql = <T = any>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);
const dir = await mkdtemp(join(tmpdir(), 'mergington-interrupted-'));
const apis: ApiProcess[] = [];
afterAll(() => {
  for (const api of apis) api.stop('SIGKILL');
});

const token = await adminToken(orm);

/** A canonical file: students, and activities that list them (sent in about seven parts). */
const schoolFile = join(dir, 'school.json');
const email = (n: number) => `kill${n}@interrupted.edu`;
await writeFile(
  schoolFile,
  JSON.stringify({
    format: CANONICAL_FORMAT,
    students: Array.from({ length: STUDENTS }, (_, n) => ({
      email: email(n),
      name: `Student ${n}`,
      grade: 9,
    })),
    activities: Array.from({ length: ACTIVITIES }, (_, a) => ({
      name: `Interrupted ${a}`,
      maxParticipants: 1000,
      participants: Array.from({ length: (STUDENTS * SIGNUPS_PER_STUDENT) / ACTIVITIES }, (_, k) => ({
        email: email((a * 97 + k) % STUDENTS),
      })),
    })),
  }),
);
const ROWS = STUDENTS + ACTIVITIES + STUDENTS * SIGNUPS_PER_STUDENT;

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}
function run(script: string, args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Awaited<Run['done']>>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}
const importer = (api: ApiProcess, file = schoolFile) =>
  run(fileURLToPath(new URL('../src/main.ts', import.meta.url)), [
    'import',
    file,
    '--url',
    `${api.origin}/trpc`,
    `--token=${token}`,
    '--json',
  ]);

/** Polls until `check` gives a truthy value; fails if `run` ends first or time runs out. */
async function when<T>(what: string, check: () => Promise<T>, child?: Run, timeoutMs = 30_000): Promise<T> {
  let exited = false;
  void child?.done.then(() => (exited = true));
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (exited) throw new Error(`the process ended before ${what}: ${(await child!.done).stderr}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
const count = async (query: string) => Number((await sql<{ n: number }>(query))[0]!.n);
/** Transactions other than ours that hold a write lock on the table (an import or restore in flight). */
const writers = (table: string) =>
  count(`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
          where c.relname = '${table}' and l.mode in ('RowExclusiveLock', 'AccessExclusiveLock')
            and l.pid <> pg_backend_pid()`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// Generous timeouts: on a loaded machine starting the processes alone can take many seconds.
describe('killed half-way (SIGKILL, real processes)', { timeout: 120_000 }, () => {
  it('an importer killed during its upload leaves the database as it was', async () => {
    const started = performance.now();
    const before = await databaseFingerprint(orm);
    const api = await startApiProcess(url);
    apis.push(api);
    const staged = await count(`select count(*)::int as n from import_chunk`);
    const importing = importer(api);
    const parts = await when(
      'three parts were uploaded',
      async () => {
        const n = (await count(`select count(*)::int as n from import_chunk`)) - staged;
        return n >= 3 ? n : 0;
      },
      importing,
    );
    importing.child.kill('SIGKILL');
    const { signal } = await importing.done;
    expect(signal).toBe('SIGKILL');
    api.stop();
    await api.exited;
    expect(await databaseFingerprint(orm)).toBe(before);
    console.log(
      `importer: ${ROWS.toLocaleString('en')} rows; killed after ${parts} uploaded parts; database unchanged (${seconds(started)})`,
    );
  });

  it('an API killed while committing an import leaves the database as it was; restarted, it imports again', async () => {
    const started = performance.now();
    const before = await databaseFingerprint(orm);
    const studentsBefore = await count(`select count(*)::int as n from student`);
    const api = await startApiProcess(url);
    apis.push(api);
    const importing = importer(api);
    // The commit's transaction is writing students: the upload is over, the commit has begun.
    await when('the commit began', () => writers('student'), importing, 60_000);
    const killedAt = seconds(started);
    api.stop('SIGKILL');
    const told = await importing.done;
    await api.exited;
    // PostgreSQL rolls back the dead connection's transaction; wait until its locks are gone.
    await when('the killed transaction ended', async () => (await writers('student')) === 0);
    if (told.code === 0) {
      // The client was told the import finished: then all of it must be there.
      expect(await count(`select count(*)::int as n from student`)).toBe(studentsBefore + STUDENTS);
    } else {
      expect(told.stderr).toMatch(/error/i);
      expect(await databaseFingerprint(orm)).toBe(before);
    }
    console.log(
      `API: ${ROWS.toLocaleString('en')} rows; killed as soon as the commit's transaction wrote students (${killedAt}); the importer ${told.code === 0 ? 'was told it finished' : `was told it failed (exit ${told.code})`}; database ${told.code === 0 ? 'fully imported' : 'unchanged'} (${seconds(started)})`,
    );

    // Restarted, the API serves, and an import goes through: the killed one left nothing in the way.
    const restarted = await startApiProcess(url);
    apis.push(restarted);
    const small = join(dir, 'small.json');
    await writeFile(
      small,
      JSON.stringify({
        format: CANONICAL_FORMAT,
        students: [{ email: 'after@interrupted.edu', name: 'After' }],
      }),
    );
    const again = await importer(restarted, small).done;
    expect(again.code, again.stderr).toBe(0);
    expect(await count(`select count(*)::int as n from student`)).toBe(
      studentsBefore + (told.code === 0 ? STUDENTS : 0) + 1,
    );
    restarted.stop();
    await restarted.exited;
    console.log(`API: restarted, it imports again (${seconds(started)} in all)`);
  });

  it('a restore killed half-way leaves the database as it was', async () => {
    const started = performance.now();
    // Two large tables: students and their signups.
    await sql(
      `insert into activity (name, max_participants) select 'Bulk ' || n, 10000 from generate_series(0, 19) n`,
    );
    await sql(
      `insert into student (email, name) select 'bulk' || n || '@interrupted.edu', 'Bulk ' || n from generate_series(1, 30000) n`,
    );
    await orm.em.fork().transactional(async (tx) => {
      // As a bulk load does: the seats counted once, not row by row.
      await tx.execute(`set local mergington.defer_seat_counts = on`);
      await tx.execute(
        `insert into activity_participant (activity_id, student_id, status)
         select a.id, s.id, 'enrolled' from student s join activity a on a.name = 'Bulk ' || (s.id % 20)
          where s.email like 'bulk%'`,
      );
      await tx.execute(
        `update activity a set enrolled_count = (select count(*) from activity_participant p where p.activity_id = a.id and p.status = 'enrolled') where a.name like 'Bulk %'`,
      );
    });
    const file = join(dir, 'before.backup.gz');
    const summary = await backupDatabase(url, file);
    const rows = Object.values(summary.tables).reduce((sum, table) => sum + table.rows, 0);
    // The database moves on after the backup: the restore, had it finished, would undo this.
    await sql(`insert into committee (name) values ('Formed after the backup')`);
    const before = await databaseFingerprint(orm);

    // The restore reads the backup from a pipe that gets only the first half of the file, so it is
    // certainly half-way (its transaction open, a table's COPY waiting for more rows) when it is killed.
    const fifo = join(dir, 'restore.fifo');
    execFileSync('mkfifo', [fifo]);
    const restoring = run(
      fileURLToPath(new URL('./scripts/restore.ts', import.meta.resolve('@mergington/db'))),
      [fifo, '--force'],
      { DATABASE_URL: url },
    );
    const bytes = await readFile(file);
    const pipe = createWriteStream(fifo);
    pipe.on('error', () => {});
    pipe.write(bytes.subarray(0, bytes.length >> 1));
    const copying = await when(
      'the restore copies a table',
      async () =>
        (
          await sql<{ query: string }>(
            `select query from pg_stat_activity where query like 'copy %' and state = 'active' and pid <> pg_backend_pid()`,
          )
        )[0]?.query,
      restoring,
    );
    const killedAt = seconds(started);
    restoring.child.kill('SIGKILL');
    expect((await restoring.done).signal).toBe('SIGKILL');
    pipe.destroy();
    await when('the killed transaction ended', async () => (await writers('student')) === 0);
    expect(await databaseFingerprint(orm)).toBe(before);
    console.log(
      `restore: a ${rows.toLocaleString('en')}-row backup, killed with half of it read, copying ${/copy "(\w+)"/.exec(String(copying))?.[1]} (${killedAt}); database unchanged (${seconds(started)})`,
    );
  });
});
