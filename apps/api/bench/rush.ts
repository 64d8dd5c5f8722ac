// pnpm bench:rush: the moment signups open. 3,000 students with sessions each sign up for one of 60
// activities within the same second over HTTP, retrying 503s; then pgbench runs the same 3,000 signup
// statements. Prints time until everyone has an answer, latency, errors and the invariants beside the
// goals; exits 1 when an invariant fails (never for timing). See the README (Benchmark).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SIGNUP_STATEMENT } from '@mergington/db';
import { startApiProcess } from '../src/process.ts';
import { freshBenchDatabase, percentile } from './load-client.ts';
import {
  choiceExpression,
  type RushAnswer,
  rushInvariantViolations,
  runRush,
  seedRush,
  WARM_UP,
  warmUp,
  warmUpNote,
} from './signup-rush.ts';

// pnpm bench:rush --round: the rush at a first-come round's opening instead (round-rush-bench.ts).
if (process.argv.includes('--round')) {
  await import('./round-rush-bench.ts');
  process.exit();
}

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STUDENTS = 3_000;
const ACTIVITIES = 60;
const GOAL_SECONDS = 10;
// The API's own default is one worker per core; API_WORKERS=1 pnpm bench:rush measures one process.
const WORKERS = process.env.API_WORKERS ?? String(availableParallelism());

interface Figures {
  answered: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Final answers that were not a signup, by `status code`. */
  errors: Map<string, number>;
  enrolled: number;
  waitlisted: number;
  violations: string[];
  note: string;
}

const url = await freshBenchDatabase(SERVER, 'mergington_rush');
const data = await seedRush(url, { students: STUDENTS, activities: ACTIVITIES });
const totalSeats = data.capacities.reduce((sum, seats) => sum + seats, 0);
console.log(
  `\nsignup rush: ${STUDENTS} students, ${ACTIVITIES} activities of 5 to 150 seats (${totalSeats} seats; one student in three ` +
    `wants one of the 5 first, 5 to 80 seats); ${availableParallelism()} cores shared by loader, API and PostgreSQL ` +
    `at ${new URL(SERVER).host}; load average before: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}\n`,
);

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const errorList = (errors: Map<string, number>) =>
  [...errors].map(([key, count]) => `${key}: ${count}`).join(', ') || 'none';
const invariants = (violations: string[]) =>
  violations.length ? `${violations.length} FAILED (below)` : 'all hold';
const designed = (errors: Map<string, number>) => [...errors.keys()].every((key) => key === '409 CONFLICT');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

const http = await rushOverHttp();
await resetSignups();
const pgb = await rushInPgbench();

const row = (measure: string, api: string, pgbench: string, goal: string) =>
  console.log(`| ${measure} | ${api} | ${pgbench} | ${goal} |`);
console.log('| measure | API over HTTP | pgbench, same SQL | goal |');
console.log('| --- | --- | --- | --- |');
row(
  'students answered, time until the last answer',
  `${http.answered} of ${STUDENTS} in ${http.seconds.toFixed(2)} s`,
  `${pgb.answered} of ${STUDENTS} in ${pgb.seconds.toFixed(2)} s`,
  `all ${STUDENTS} within ${GOAL_SECONDS} s: ${verdict(http.answered === STUDENTS && http.seconds <= GOAL_SECONDS)}`,
);
row('latency p50 / p99 (ms)', `${fmt(http.p50)} / ${fmt(http.p99)}`, `${fmt(pgb.p50)} / ${fmt(pgb.p99)}`, '');
row(
  'errors (final answers) by code',
  errorList(http.errors),
  errorList(pgb.errors),
  `none but 409s: ${verdict(designed(http.errors))}`,
);
row(
  'enrolled / waitlisted',
  `${http.enrolled} / ${http.waitlisted}`,
  `${pgb.enrolled} / ${pgb.waitlisted}`,
  `${totalSeats} seats`,
);
row(
  'invariants',
  invariants(http.violations),
  invariants(pgb.violations),
  `all hold: ${verdict(!http.violations.length && !pgb.violations.length)}`,
);
console.log(`\nAPI: ${http.note}\npgbench: ${pgb.note}`);
for (const [run, violations] of [
  ['API', http.violations],
  ['pgbench', pgb.violations],
] as const) {
  for (const problem of violations) console.log(`invariant failed (${run}): ${problem}`);
}
// Correctness alone decides the exit code: timing on a shared machine is printed, never failed.
if (http.violations.length || pgb.violations.length) process.exitCode = 1;

async function rushOverHttp(): Promise<Figures> {
  const api = await startApiProcess(url, { API_WORKERS: WORKERS });
  let result;
  let warmUpMs = 0;
  try {
    if (WARM_UP) warmUpMs = await warmUp(api.origin, data);
    result = await runRush(api.origin, data);
  } finally {
    api.stop();
    await api.exited;
  }
  const { answers, attemptErrors, maxInFlight, startedAt } = result;
  const latencies = answers.map((answer) => answer.answeredAt - answer.firstSentAt).sort((a, b) => a - b);
  const errors = new Map<string, number>();
  for (const answer of answers.filter((answer) => !answer.signup)) {
    const key = `${answer.status} ${answer.code ?? ''}`.trim();
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  const retried = answers.filter((answer) => answer.attempts > 1).length;
  return {
    ...counts(answers),
    answered: answers.filter((answer) => answer.status !== 0 && answer.status !== 503).length,
    seconds: (Math.max(...answers.map((answer) => answer.answeredAt)) - startedAt) / 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    violations: await rushInvariantViolations(url, answers),
    note:
      `API_WORKERS=${WORKERS}, DB_POOL_MAX=${process.env.DB_POOL_MAX ?? '10 (default)'} per worker; ` +
      warmUpNote(warmUpMs) +
      `each student sent at a ` +
      `random moment of the first second over a connection of its own (keep-alive agent, no limit), ` +
      `at most ${maxInFlight} requests in flight; latency is from a student's first send to their final answer, retries included; ` +
      `${retried} students retried (exponential backoff with full jitter, 100 ms doubling to 2 s: the web client does not retry a ` +
      `signup); every attempt's errors: ${errorList(attemptErrors)}.`,
  };
}

function counts(answers: RushAnswer[]) {
  return {
    enrolled: answers.filter((answer) => answer.signup?.status === 'enrolled').length,
    waitlisted: answers.filter((answer) => answer.signup?.status === 'waitlisted').length,
  };
}

async function resetSignups() {
  await sql('truncate activity_participant restart identity');
  await sql('update activity set enrolled_count = 0, waitlist_count = 0');
}

/**
 * The same signups in pgbench: the signup statement once per student, each to the activity choiceOf gives,
 * over as many connections as the server can spare (at most 256; a count that divides the students, so
 * each client runs the same number).
 */
async function rushInPgbench(): Promise<Figures> {
  const [{ spare } = { spare: 0 }] = await sql<{ spare: number }>(
    `select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
            - (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as spare`,
  );
  const allowed = Math.min(256, spare - 10); // room for the other programs on the shared server
  let clients = allowed;
  while (clients > 1 && STUDENTS % clients !== 0) clients--;
  const perClient = STUDENTS / clients;
  const dir = mkdtempSync(join(tmpdir(), 'mergington-rush-'));
  try {
    const script = join(dir, 'signup.sql');
    // Client c's n-th signup is student c * perClient + n (pgbench keeps a client's variables between
    // its transactions); the statement's parameters become pgbench variables, the session's token hash
    // read by the student's id (pgbench cannot hash a token).
    const statement = SIGNUP_STATEMENT.replace('?', "'bench'")
      .replace('?', "'127.0.0.1'")
      .replace('?', '(select token_hash from session where student_id = :sid)')
      .replace('?', ':aid')
      .replace(/\s+/g, ' ');
    writeFileSync(
      script,
      `\\set i :client_id * ${perClient} + :n
\\set n :n + 1
\\set sid ${data.students[0]!.id} + :i
\\set aid ${data.activityIds[0]!} + ${choiceExpression(ACTIVITIES)}
${statement};
`,
    );
    const output = execFileSync(
      'pgbench',
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(clients),
        '-j',
        '2',
        '-t',
        String(perClient),
        '-D',
        'n=0',
        '-f',
        script,
        '-l',
        `--log-prefix=${join(dir, 'log')}`,
        url,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Each log line: client, transaction, latency (µs), script, end time (s, µs).
    const transactions = readdirSync(dir)
      .filter((file) => file.startsWith('log'))
      .flatMap((file) => readFileSync(join(dir, file), 'utf8').trim().split('\n'))
      .map((line) => {
        const [, , latencyUs, , seconds, micros] = line.split(' ').map(Number);
        return { ms: latencyUs! / 1000, end: seconds! * 1000 + micros! / 1000 };
      });
    const latencies = transactions.map((t) => t.ms).sort((a, b) => a - b);
    const first = Math.min(...transactions.map((t) => t.end - t.ms));
    const last = Math.max(...transactions.map((t) => t.end));
    const processed = Number(/actually processed: (\d+)/.exec(output)?.[1] ?? 0);
    const failed = STUDENTS - processed;
    return {
      answered: processed,
      seconds: (last - first) / 1000,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      errors: failed ? new Map([['failed transactions', failed]]) : new Map(),
      ...(await seatCounts()),
      violations: await rushInvariantViolations(url),
      note:
        `${clients} clients (max_connections leaves ${spare} free; ${allowed} after 10 kept for others, at most 256, ` +
        `rounded down to divide ${STUDENTS}), ${perClient} signups each, -M prepared (as the API sends it); time from the first transaction's start ` +
        `to the last one's end (connections opened before); per-statement latency; waitlist order not observable from pgbench.`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seatCounts() {
  const [counts] = await sql<{ enrolled: number; waitlisted: number }>(
    `select count(*) filter (where status = 'enrolled')::int as enrolled,
            count(*) filter (where status = 'waitlisted')::int as waitlisted
       from activity_participant`,
  );
  return counts!;
}

async function sql<Row extends pg.QueryResultRow>(text: string): Promise<Row[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query<Row>(text)).rows;
  } finally {
    await db.end();
  }
}
