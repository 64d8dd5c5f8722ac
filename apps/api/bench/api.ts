// pnpm bench:api: signup throughput and latency over HTTP beside pgbench running the same SQL on the same
// database, then the activity list beside its pgbench equivalent. See the README for the set-up.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { activityListStatement, hashToken, SIGNUP_STATEMENT } from '@mergington/db';
import { startApiProcess } from '../src/process.ts';
import { type CpuUse, meterCpu } from './cpu.ts';
import { freshBenchDatabase } from './load-client.ts';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 16;
const ACTIVITIES = 100;
const HOT = 5;
const STUDENTS = 60_000;
const benchUrl = await freshBenchDatabase(SERVER, 'mergington_bench');

/** 80% of the traffic on 5 hot activities, the rest spread over the others. */
function pickActivity(): number {
  return Math.random() < 0.8
    ? 1 + Math.floor(Math.random() * HOT)
    : HOT + 1 + Math.floor(Math.random() * (ACTIVITIES - HOT));
}

async function prepare(): Promise<string[]> {
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  await db.query(
    `insert into activity (name, max_participants, schedule_days, start_time, end_time)
     select 'Activity ' || n, 1000000, '{monday}', '15:00', '16:00' from generate_series(1, $1) n`,
    [ACTIVITIES],
  );
  await db.query(
    `insert into student (email, name, grade) select 's' || n || '@bench.edu', 'Student ' || n, 10 from generate_series(1, $1) n`,
    [STUDENTS],
  );
  const tokens = Array.from({ length: STUDENTS }, () => randomBytes(32).toString('base64url'));
  await db.query(
    `insert into session (token_hash, student_id, expires_at)
     select h, n, now() + interval '1 day' from unnest($1::text[]) with ordinality as t(h, n)`,
    [tokens.map(hashToken)],
  );
  await db.query('vacuum analyze');
  await db.end();
  return tokens;
}

async function resetSignups() {
  const db = new pg.Client({ connectionString: benchUrl });
  await db.connect();
  await db.query('truncate activity_participant');
  await db.query('update activity set enrolled_count = 0, waitlist_count = 0');
  await db.query('vacuum analyze activity_participant, activity');
  await db.end();
}

interface LoadResult {
  tps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

// node:http with keep-alive: a lighter client than fetch, so the load generator takes less of the CPU.
// A fresh agent per run: the server closes connections idle for 5 s (while pgbench runs, say).
let agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { agent, method: init.method ?? 'GET', headers: init.headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** CLIENTS loops, each sending one request after another for SECONDS. */
async function load(request: () => Promise<number>): Promise<LoadResult> {
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await request();
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { tps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, requests: latencies.length };
}

interface Measured {
  tps: number;
  cpu: CpuUse;
  requests: number;
}

/** `mode` as the API sends the statement: prepared (the signup statement) or as an unnamed statement. */
async function pgbench(
  script: string,
  mode: 'prepared' | 'extended',
): Promise<Measured & { latencyMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mergington-bench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, script);
  const { result: output, cpu } = await meterCpu(benchUrl, undefined, async (clientIs) => {
    const run = promisify(execFile)(
      'pgbench',
      ['-n', '-M', mode, '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-f', file, benchUrl],
      { encoding: 'utf8' },
    );
    clientIs(run.child.pid!);
    return (await run).stdout;
  });
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
  const requests = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]);
  return { tps, latencyMs, cpu, requests };
}

// The statement signups.join runs (packages/db/src/modules/activities/signups.ts), with pgbench variables for
// its parameters; pgbench cannot hash a token, so the session's hash is read by the student's id.
const SIGNUP_SQL = `\\set r random(1, 100)
\\set hot random(1, ${HOT})
\\set other random(${HOT + 1}, ${ACTIVITIES})
\\set sid random(1, ${STUDENTS})
\\set aid CASE WHEN :r <= 80 THEN :hot ELSE :other END
${SIGNUP_STATEMENT.replace('?', "'bench'")
  .replace('?', "'127.0.0.1'")
  .replace('?', '(select token_hash from session where student_id = :sid)')
  .replace('?', ':aid')
  .replace(/\s+/g, ' ')};
`;

// What activities.list({ pageSize: 50 }) runs, its values (the page's limit and offset) written in.
const listStatement = activityListStatement({ page: 1, pageSize: 50 });
let listValue = 0;
const LIST_SQL = `${listStatement.text.replace(/\?/g, () => String(listStatement.values[listValue++])).replace(/\s+/g, ' ')};
`;

const fmt = (n: number) => n.toFixed(n >= 100 ? 0 : 1);

/**
 * One API process per workload, so a CPU profile holds one workload alone. With BENCH_CPU_PROF_DIR set, each
 * is profiled as `node --cpu-prof` would (bench/cpu-profile.mjs) into <dir>/<workload>; bench/profile-summary.ts
 * sums a profile up.
 */
async function startApi(workload: string) {
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const profiling: Record<string, string> = profileDir
    ? {
        BENCH_CPU_PROF_DIR: join(profileDir, workload),
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${fileURLToPath(new URL('./cpu-profile.mjs', import.meta.url))}`,
      }
    : {};
  return startApiProcess(benchUrl, { DB_POOL_MAX: '16', ...profiling });
}

async function measure(
  workload: string,
  request: (origin: string) => Promise<number>,
): Promise<LoadResult & Measured> {
  const api = await startApi(workload);
  try {
    const { result, cpu } = await meterCpu(benchUrl, api.pid, () => load(() => request(api.origin)));
    if (process.env.BENCH_CPU_PROF_DIR) console.log(`${workload}: ${result.requests} requests profiled`);
    return { ...result, cpu };
  } finally {
    api.stop();
    // The profile is written as the process exits.
    await api.exited;
  }
}

const tokens = await prepare();
let next = 0;
const signups = await measure('signup', (origin) =>
  send(`${origin}/trpc/signups.join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % STUDENTS]}` },
    body: JSON.stringify({ json: { activityId: pickActivity() } }),
  }),
);
await resetSignups();
const signupsPg = await pgbench(SIGNUP_SQL, 'prepared');

const listInput = encodeURIComponent(JSON.stringify({ json: { pageSize: 50 } }));
const list = await measure('list', (origin) => send(`${origin}/trpc/activities.list?input=${listInput}`));
const listPg = await pgbench(LIST_SQL, 'extended');

console.log(`\n${CLIENTS} clients, ${SECONDS} s each, PostgreSQL at ${new URL(SERVER).host}\n`);
console.log('| workload | API over HTTP | pgbench, same SQL | API / pgbench |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| signup (80% on ${HOT} hot activities) | ${fmt(signups.tps)} tps, p50 ${fmt(signups.p50)} ms, p99 ${fmt(signups.p99)} ms, ${signups.errors} errors | ${fmt(signupsPg.tps)} tps, avg ${fmt(signupsPg.latencyMs)} ms | ${((100 * signups.tps) / signupsPg.tps).toFixed(0)}% |`,
);
console.log(
  `| list 50 activities | ${fmt(list.tps)} tps, p50 ${fmt(list.p50)} ms, p99 ${fmt(list.p99)} ms, ${list.errors} errors | ${fmt(listPg.tps)} tps, avg ${fmt(listPg.latencyMs)} ms | ${((100 * list.tps) / listPg.tps).toFixed(0)}% |`,
);

// Where each run's CPU went, per request. On a machine whose cores are all busy in both runs, the ratio of
// pgbench's CPU per request to the API path's is the most the API can reach of pgbench's throughput.
const cores = availableParallelism();
const perRequest = (seconds: number, run: Measured) => (1000 * seconds) / run.requests;
const busy = (run: Measured) => (100 * run.cpu.machine) / ((run.requests / run.tps) * cores);
const ms = (n: number) => n.toFixed(2);
console.log(
  `\nCPU per request, ms (from /proc; ${cores} cores shared by client, API and PostgreSQL; "machine" counts every process and the kernel):\n`,
);
console.log('| workload | run | API | PostgreSQL | client | machine | machine busy |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
const workloads = [
  { name: 'signup', api: signups, pgbench: signupsPg, goal: 50 },
  { name: 'list', api: list, pgbench: listPg, goal: 30 },
];
for (const { name, api, pgbench } of workloads) {
  for (const [run, measured, client] of [
    ['API over HTTP', api, 'node:http'],
    ['pgbench', pgbench, 'pgbench'],
  ] as const) {
    const { cpu } = measured;
    console.log(
      `| ${name} | ${run} | ${run === 'pgbench' ? '-' : ms(perRequest(cpu.api, measured))} | ${ms(perRequest(cpu.postgres, measured))} | ${ms(perRequest(cpu.client, measured))} (${client}) | ${ms(perRequest(cpu.machine, measured))} | ${busy(measured).toFixed(0)}% |`,
    );
  }
}
console.log('');
for (const { name, api, pgbench, goal } of workloads) {
  const apiPath = perRequest(api.cpu.machine, api);
  const direct = perRequest(pgbench.cpu.machine, pgbench);
  console.log(
    `${name}: the API's path took ${ms(apiPath)} ms of the machine's CPU per request, pgbench's ${ms(direct)} ms; ` +
      `with every core busy, the API reaches at most ${((100 * direct) / apiPath).toFixed(0)}% of pgbench here. ` +
      `${goal}% needs the whole path within ${ms((100 * direct) / goal)} ms a request.`,
  );
}
