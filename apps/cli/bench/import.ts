// pnpm bench:import: import rows per second beside PostgreSQL's COPY of the same rows, `pnpm db:backup` and
// `pnpm db:restore` as users run them (start-up included) beside pg_dump and pg_restore, of the sample data
// and of the 100,000-student school, and the peak memory of the importer and the API. See the README.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { hashToken, initORM, seedSampleData } from '@mergington/db';
import type { ImportDatasetInput } from '@mergington/contract';
import { CANONICAL_LINES_FORMAT } from '../src/readers/lines.ts';
import { startApiProcess } from '@mergington/api/process';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STUDENTS = 100_000;
const ACTIVITIES = 500;
const SIGNUPS_PER_STUDENT = 3; // 300,000 signups
const dir = mkdtempSync(join(tmpdir(), 'mergington-bench-import-'));
const urlOf = (database: string) => Object.assign(new URL(SERVER), { pathname: `/${database}` }).toString();

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
async function freshDatabase(name: string, migrate: boolean, seed = false): Promise<string> {
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  if (migrate) {
    const orm = await initORM({ url: urlOf(name) });
    await orm.migrator.up();
    if (seed) await seedSampleData(orm);
    await orm.close();
  }
  return urlOf(name);
}
const seconds = async (work: () => Promise<unknown> | unknown) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

/** The generated school: students, activities with their signups, and the other tables in proportion. */
function generate(): { dataset: ImportDatasetInput; rows: number } {
  const email = (n: number) => `student${n}@bench.edu`;
  const students = Array.from({ length: STUDENTS }, (_, n) => ({
    email: email(n),
    name: `Student ${n}`,
    grade: 9 + (n % 4),
  }));
  const participants: { email: string }[][] = Array.from({ length: ACTIVITIES }, () => []);
  for (let n = 0; n < STUDENTS; n++) {
    for (let k = 0; k < SIGNUPS_PER_STUDENT; k++)
      participants[(n * 7 + k * 131) % ACTIVITIES]!.push({ email: email(n) });
  }
  const activities = participants.map((list, a) => ({
    name: `Activity ${a}`,
    description: `Generated activity ${a}`,
    schedule: 'Mondays, 3:00 PM - 4:00 PM',
    scheduleDays: ['monday' as const],
    startTime: '15:00',
    endTime: '16:00',
    category: ['Sports', 'Arts', 'Academic', 'Technology'][a % 4]!,
    maxParticipants: 700,
    participants: list,
  }));
  const activityOf = (n: number) => `Activity ${(n * 7) % ACTIVITIES}`;
  const dataset: ImportDatasetInput = {
    students,
    activities,
    committees: Array.from({ length: 10 }, (_, c) => ({ name: `Committee ${c}` })),
    positions: Array.from({ length: 50 }, (_, p) => ({
      committee: `Committee ${p % 10}`,
      studentEmail: email(p),
      positionName: `Role ${p}`,
      termStart: '2026-09-01',
    })),
    events: Array.from({ length: 1000 }, (_, e) => ({
      activity: `Activity ${e % ACTIVITIES}`,
      name: `Event ${e}`,
      date: new Date(Date.UTC(2026, 0, 1 + (e % 365))),
    })),
    groups: Array.from({ length: 1000 }, (_, g) => ({
      activity: activityOf(g),
      name: `Group ${g}`,
      leaderEmail: email(g),
      members: [],
    })),
    news: Array.from({ length: 500 }, (_, n) => ({ title: `News ${n}`, content: 'Generated news' })),
    feedback: Array.from({ length: 20_000 }, (_, f) => ({
      activity: activityOf(f),
      studentEmail: email(f),
      rating: 1 + (f % 5),
    })),
    payments: Array.from({ length: 5_000 }, (_, p) => ({
      studentEmail: email(p),
      activity: activityOf(p),
      amountCents: 1000 + p,
      description: `Fee ${p}`,
    })),
  };
  const rows =
    Object.values(dataset).reduce((sum, table) => sum + (table as unknown[]).length, 0) +
    STUDENTS * SIGNUPS_PER_STUDENT;
  return { dataset, rows };
}

/** Peak resident memory of a process, in MB (VmHWM). */
const peakMb = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const { dataset, rows } = generate();
// The line-delimited canonical format, which the importer streams (a .json document is read whole).
const file = join(dir, 'school.jsonl');
writeFileSync(
  file,
  [
    JSON.stringify({ format: CANONICAL_LINES_FORMAT }),
    ...Object.entries(dataset).flatMap(([table, records]) =>
      (records as unknown[]).map((record) => JSON.stringify({ [table]: record })),
    ),
  ].join('\n') + '\n',
);
const fileMb = readFileSync(file).length / 1024 / 1024;

// ---- `pnpm db:backup` and `pnpm db:restore` (into an empty database), start-up included, beside pg_dump -Fc
// and pg_restore: of the sample data first, on a machine not yet busy with the import's aftermath (its
// checkpoint and autovacuum), then of the imported school
const root = fileURLToPath(new URL('../../../', import.meta.url));
// As from a user's shell: without the variables that the pnpm running this benchmark set for it.
const shellEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|PNPM_|NODE_PATH$|INIT_CWD$)/.test(name)),
);
const pnpm = (args: string[], databaseUrl: string) =>
  execFileSync('pnpm', args, { cwd: root, env: { ...shellEnv, DATABASE_URL: databaseUrl }, stdio: 'pipe' });
/**
 * The median of `runs` timings of work, each after an untimed setup (a fresh database to restore into):
 * a command of about a second is at the mercy of whatever else runs, so the small sizes take three.
 */
async function median<T>(runs: number, setup: () => Promise<T>, work: (input: T) => unknown) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const input = await setup();
    times.push(await seconds(() => work(input)));
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}
async function backupAndRestore(name: string, sourceUrl: string, runs: number) {
  const ours = join(dir, `${name}.backup.gz`);
  const theirs = join(dir, `${name}.pgc`);
  const none = async () => undefined;
  const emptyDatabase = (suffix: string) => () => freshDatabase(`${name}_${suffix}`, false);
  return {
    ours,
    theirs,
    backup: await median(runs, none, () => pnpm(['db:backup', ours], sourceUrl)),
    dump: await median(runs, none, () => execFileSync('pg_dump', ['-Fc', '-f', theirs, sourceUrl])),
    restore: await median(runs, emptyDatabase('restore'), (target) => pnpm(['db:restore', ours], target)),
    pgRestore: await median(runs, emptyDatabase('pgrestore'), (target) =>
      execFileSync('pg_restore', ['-d', target, theirs]),
    ),
  };
}
const sampleUrl = await freshDatabase('mergington_bench_sample', true, true);
// Start-up alone (pnpm, turbo's check that the build is current, node loading the script): db:restore
// without a file stops with one line as soon as it is loaded.
const startup = await median(
  3,
  async () => undefined,
  () => {
    try {
      pnpm(['db:restore'], sampleUrl);
    } catch (error) {
      if (!/name the backup file/.test(String((error as { stderr?: Buffer }).stderr))) throw error;
    }
  },
);
const sample = await backupAndRestore('mergington_bench_sample', sampleUrl, 3);

// ---- the import, through the CLI and the API
const importUrl = await freshDatabase('mergington_bench_import', true);
const token = randomBytes(32).toString('base64url');
{
  const db = new pg.Client({ connectionString: importUrl });
  await db.connect();
  const {
    rows: [teacher],
  } = await db.query(
    `insert into teacher (email, username, name, role, password_hash) values ('bench@bench.edu', 'bench', 'Bench', 'admin', 'x') returning id`,
  );
  await db.query(
    `insert into session (token_hash, teacher_id, expires_at) values ($1, $2, now() + interval '1 day')`,
    [hashToken(token), teacher.id],
  );
  await db.end();
}
const api = await startApiProcess(importUrl);
let importerMb = 0;
let report = '';
const importSeconds = await seconds(async () => {
  const child = spawn(
    '/usr/bin/time',
    [
      '-f',
      'maxrss_kb=%M',
      process.execPath,
      // The built CLI, as `pnpm mergington` runs it (this script's package.json builds it first).
      join(import.meta.dirname, '../dist/main.js'),
      'import',
      file,
      '--url',
      `${api.origin}/trpc`,
      `--token=${token}`,
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the import failed: ${stderr}`);
  importerMb = Number(/maxrss_kb=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
});
const apiMb = peakMb(api.pid);
api.stop();
const created = Object.values(
  (JSON.parse(report) as { tables: Record<string, { created: number }> }).tables,
).reduce((sum, table) => sum + table.created, 0);
if (created !== rows) throw new Error(`expected ${rows} rows created, the report says ${created}`);

// ---- COPY of the same big tables, for comparison
const copyUrl = await freshDatabase('mergington_bench_copy', true);
const csv = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};
const studentCsv = csv(
  'students.csv',
  dataset.students!.map((s) => `${s.email},${s.name},${s.grade}`),
);
const activityCsv = csv(
  'activities.csv',
  dataset.activities!.map((a) => `${a.name},${a.description},${a.maxParticipants}`),
);
const signupCsv = csv(
  'signups.csv',
  dataset.activities!.flatMap((a, index) =>
    a.participants!.map((p) => `${index + 1},${Number(p.email.slice(7, p.email.indexOf('@'))) + 1},enrolled`),
  ),
);
const copyRows = STUDENTS + ACTIVITIES + STUDENTS * SIGNUPS_PER_STUDENT;
const copySeconds = await seconds(() =>
  execFileSync('psql', [
    copyUrl,
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    // COPY at its fastest: the seat trigger's per-row counting deferred, as the importer does.
    `set mergington.allow_overbooking = on; set mergington.defer_seat_counts = on`,
    '-c',
    `\\copy student (email, name, grade) from '${studentCsv}' csv`,
    '-c',
    `\\copy activity (name, description, max_participants) from '${activityCsv}' csv`,
    '-c',
    `\\copy activity_participant (activity_id, student_id, status) from '${signupCsv}' csv`,
  ]),
);

const school = await backupAndRestore('mergington_bench', importUrl, 1);

const mb = (path: string) => {
  const { size } = statSync(path);
  return size < 1024 * 1024 ? `${(size / 1024).toFixed(0)} kB` : `${(size / 1024 / 1024).toFixed(1)} MB`;
};
const rate = (count: number, s: number) => Math.round(count / s).toLocaleString('en');
console.log(
  `\n${rows.toLocaleString('en')} rows (${STUDENTS.toLocaleString('en')} students, ${ACTIVITIES} activities, ${(STUDENTS * SIGNUPS_PER_STUDENT).toLocaleString('en')} signups, the rest in proportion), a ${fileMb.toFixed(1)} MB file\n`,
);
console.log('| measure | Mergington | PostgreSQL | ratio / goal |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| import, rows/s | ${rate(rows, importSeconds)} (${importSeconds.toFixed(1)} s, CLI + API, one transaction) | COPY ${rate(copyRows, copySeconds)} (${copySeconds.toFixed(1)} s, students, activities, signups) | ${((100 * rows) / importSeconds / (copyRows / copySeconds)).toFixed(0)}% (goal ≥ 25%) |`,
);
console.log(
  `| start-up of a db:* command (pnpm, turbo's check, node) | ${startup.toFixed(2)} s | | goal well under 1 s |`,
);
for (const [label, run, goal] of [
  ['sample data (median of 3)', sample, ''],
  ['100,000 students', school, ' (goal ≤ 2x)'],
] as const) {
  console.log(
    `| pnpm db:backup, ${label} | ${run.backup.toFixed(2)} s, ${mb(run.ours)} | pg_dump -Fc ${run.dump.toFixed(2)} s, ${mb(run.theirs)} | ${(run.backup / run.dump).toFixed(1)}x${goal} |`,
  );
  console.log(
    `| pnpm db:restore, ${label} | ${run.restore.toFixed(2)} s | pg_restore ${run.pgRestore.toFixed(2)} s | ${(run.restore / run.pgRestore).toFixed(1)}x${goal} |`,
  );
}
console.log(
  `| peak memory | importer ${importerMb.toFixed(0)} MB, API ${apiMb.toFixed(0)} MB | | goal < 500 MB each |`,
);
// The generated files and dumps (tens of MB) are not kept; the databases stay for a look afterwards.
rmSync(dir, { recursive: true, force: true });
