// pnpm bench:load: a mixed workload (80% reads, 20% signups and withdrawals) at rising concurrency against
// the API (API_WORKERS processes, default the number of cores, as in production), with throughput, latency,
// errors by code, the API's memory and where the CPU goes. LOAD_SECONDS (default 60) per level, LOAD_LEVELS
// (default 1,4,16,64,256), BENCH_DATABASE_URL (default the machine's PostgreSQL); see the README.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { startApiProcess } from '../src/process.ts';
import { ApiCpu, apiPids, BackendCpu, machineCpu } from './cpu.ts';
import { freshBenchDatabase, LoadClient, percentile, seedLoadData } from './load-client.ts';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const LEVELS = (process.env.LOAD_LEVELS ?? '1,4,16,64,256').split(',').map(Number);
const POOL = process.env.DB_POOL_MAX ?? '10';
const WORKERS = Number(process.env.API_WORKERS ?? availableParallelism());
const ACTIVITIES = 100;
const CAPACITY = 25;
const STUDENTS = 20_000;

interface LevelResult {
  clients: number;
  rps: number;
  p50: number;
  p99: number;
  errors: Map<string, number>;
  rssMax: number;
  cpu: { api: number; postgres: number; loader: number };
  /** How busy the whole machine was, % of all its cores (other programs share it). */
  machineBusy: number;
}

const url = await freshBenchDatabase(SERVER, 'mergington_load');
const { activityIds, students } = await seedLoadData(url, {
  activities: ACTIVITIES,
  capacity: CAPACITY,
  students: STUDENTS,
});
const api = await startApiProcess(url, { DB_POOL_MAX: POOL, API_WORKERS: String(WORKERS) });
const cores = Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 1);
console.log(
  `\nmixed load: 80% reads (list 40%, get 20%, my signups 20%), 20% signups and withdrawals; ${SECONDS} s per level; ` +
    `API_WORKERS=${WORKERS} (${apiPids(api.pid).length} API processes counted), DB_POOL_MAX=${POOL} per process; PostgreSQL at ${new URL(SERVER).host}; ${cores} cores shared by loader, API and PostgreSQL; ` +
    `load average before: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}\n`,
);

/** Which activities each student is signed up for (from the answers), so withdrawals name real signups. */
const signedUp = new Map<number, number[]>();
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

async function level(clients: number): Promise<LevelResult> {
  const client = new LoadClient(api.origin, clients);
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const apiCpu = new ApiCpu(api.pid);
  let rssMax = apiCpu.sample();
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, apiCpu.sample())), 250);
  const backends = await BackendCpu.begin(url);
  const backendSampler = setInterval(() => void backends.sample(), 250);
  const cpuBefore = { loader: process.cpuUsage() };
  const machineBefore = machineCpu();
  const started = performance.now();
  const end = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const roll = Math.random();
        const student = pick(students);
        let reply;
        if (roll < 0.4) reply = await client.call('activities.list', { pageSize: 20 });
        else if (roll < 0.6) reply = await client.call('activities.get', { id: pick(activityIds) });
        else if (roll < 0.8) reply = await client.call('signups.mine', undefined, { token: student.token });
        else {
          const mine = signedUp.get(student.id) ?? [];
          const leave = mine.length > 0 && Math.random() < 0.5;
          const activityId = leave ? pick(mine) : pick(activityIds);
          reply = await client.call(
            leave ? 'signups.leave' : 'signups.join',
            { activityId },
            { mutation: true, token: student.token },
          );
          if (reply.status === 200) {
            signedUp.set(student.id, leave ? mine.filter((id) => id !== activityId) : [...mine, activityId]);
          }
        }
        latencies.push(reply.ms);
        if (reply.status !== 200) {
          const key = `${reply.status || 'network'} ${reply.code ?? ''}`.trim();
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(backendSampler);
  client.close();
  const loader = process.cpuUsage(cpuBefore.loader);
  const machineAfter = machineCpu();
  latencies.sort((a, b) => a - b);
  const share = (seconds: number) => (100 * seconds) / elapsed;
  return {
    clients,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    rssMax,
    cpu: {
      api: share(apiCpu.end()),
      postgres: share(await backends.end()),
      loader: share((loader.user + loader.system) / 1e6),
    },
    machineBusy:
      (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total),
  };
}

const results: LevelResult[] = [];
try {
  for (const clients of LEVELS) {
    results.push(await level(clients));
    const r = results.at(-1)!;
    console.error(
      `  ${clients} clients: ${r.rps.toFixed(0)} req/s (load average ${loadavg()[0]!.toFixed(1)})`,
    );
  }
} finally {
  api.stop();
  await api.exited;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
console.log(
  '| clients | req/s | p50 ms | p99 ms | errors by code | API RSS max, all processes (MB) | CPU % of one core: API (all processes) / PostgreSQL backends / loader | machine CPU busy |',
);
console.log('| ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |');
for (const r of results) {
  const errors = [...r.errors].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  console.log(
    `| ${r.clients} | ${r.rps.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${errors} | ${r.rssMax.toFixed(0)} | ${r.cpu.api.toFixed(0)} / ${r.cpu.postgres.toFixed(0)} / ${r.cpu.loader.toFixed(0)} | ${r.machineBusy.toFixed(0)}% |`,
  );
}
// Saturation: the first level whose throughput is within 10% of the best, past which only latency grows.
const best = Math.max(...results.map((r) => r.rps));
const knee = results.find((r) => r.rps >= 0.9 * best)!;
const busiest = results.find((r) => r.rps === best)!;
const ours = busiest.cpu.api + busiest.cpu.postgres + busiest.cpu.loader;
console.log(
  `\nSaturates at about ${knee.clients} clients (${knee.rps.toFixed(0)} req/s; best ${best.toFixed(0)} req/s at ${busiest.clients}). ` +
    `At the best level the machine's ${cores} cores were ${busiest.machineBusy.toFixed(0)}% busy; API, PostgreSQL and loader ` +
    `used ${ours.toFixed(0)}% of one core (API ${busiest.cpu.api.toFixed(0)}%, PostgreSQL ${busiest.cpu.postgres.toFixed(0)}%, ` +
    `loader ${busiest.cpu.loader.toFixed(0)}%): ` +
    // A process's CPU also counts its GC and libuv threads, so at about 75% of a core its one JavaScript
    // thread is close to full (a rule of thumb, not a measurement of that thread).
    (busiest.machineBusy >= 90 && ours < cores * 100 * 0.75
      ? 'the CPU is the bound, and other programs on this shared machine took much of it.'
      : busiest.cpu.api >= 75 * WORKERS
        ? "the API's Node threads are the bound (more cores or replicas, not a bigger database)."
        : busiest.machineBusy >= 90
          ? 'the CPU is the bound.'
          : 'no CPU is full: waits (row locks, the pool) are the bound.'),
);
