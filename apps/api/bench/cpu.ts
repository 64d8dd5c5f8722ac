// CPU accounting for the benchmarks (bench:api, bench:load): what the API's processes, the PostgreSQL backends
// and the whole machine used while a workload ran, read from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** CPU seconds used so far by a process (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the PostgreSQL backends serving our database (the machine's server is shared with other
 * programs): sampled while the level runs, a backend new meanwhile counted from zero.
 */
export class BackendCpu {
  private start = new Map<number, number>();
  private last = new Map<number, number>();
  private constructor(private monitor: pg.Client) {}

  static async begin(databaseUrl: string): Promise<BackendCpu> {
    const monitor = new pg.Client({ connectionString: databaseUrl });
    await monitor.connect();
    const tracker = new BackendCpu(monitor);
    for (const pid of await tracker.pids()) tracker.start.set(pid, cpuSeconds(pid));
    return tracker;
  }

  private async pids(): Promise<number[]> {
    const { rows } = await this.monitor.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  }

  async sample(): Promise<void> {
    for (const pid of await this.pids()) {
      const seconds = cpuSeconds(pid);
      if (seconds > 0) this.last.set(pid, seconds);
    }
  }

  async end(): Promise<number> {
    await this.sample();
    await this.monitor.end();
    let total = 0;
    for (const [pid, seconds] of this.last) total += seconds - (this.start.get(pid) ?? 0);
    return total;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const values = ticks.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - values[3]! - values[4]!, total };
}

export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // gone meanwhile
  }
}

/**
 * The API's processes: the one started and, with API_WORKERS > 1, its cluster workers (its children that run
 * main; tsx's esbuild helper is left out). Found afresh at each sample, so a replaced worker counts too.
 */
export function apiPids(primary: number): number[] {
  const workers = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === primary && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('/main.');
      } catch {
        return false;
      }
    })
    .map(Number);
  return [primary, ...workers];
}

/** CPU seconds of every API process so far: a process counted once seen, from what it had used then. */
export class ApiCpu {
  private start = new Map<number, number>();
  private last = new Map<number, number>();
  constructor(private primary: number) {
    for (const pid of apiPids(primary)) this.start.set(pid, cpuSeconds(pid));
  }

  /** Samples CPU and returns the processes' RSS now, summed (MB). */
  sample(): number {
    let rss = 0;
    for (const pid of apiPids(this.primary)) {
      const seconds = cpuSeconds(pid);
      if (seconds > 0) this.last.set(pid, seconds);
      if (!this.start.has(pid)) this.start.set(pid, 0);
      rss += rssMb(pid);
    }
    return rss;
  }

  end(): number {
    this.sample();
    let total = 0;
    for (const [pid, seconds] of this.last) total += seconds - (this.start.get(pid) ?? 0);
    return total;
  }
}

/** CPU seconds each part used while a workload ran, and the whole machine's busy CPU seconds. */
export interface CpuUse {
  api: number;
  postgres: number;
  client: number;
  machine: number;
}

/**
 * Samples, while `work` runs, the CPU of the API's processes (when `apiPid` is given), of the PostgreSQL
 * backends of `databaseUrl`, of the client (this process, or the process `work` names through `clientIs`)
 * and of the whole machine.
 */
export async function meterCpu<T>(
  databaseUrl: string,
  apiPid: number | undefined,
  work: (clientIs: (pid: number) => void) => Promise<T>,
): Promise<{ result: T; cpu: CpuUse }> {
  const api = apiPid === undefined ? undefined : new ApiCpu(apiPid);
  const backends = await BackendCpu.begin(databaseUrl);
  let client: { pid: number; seconds: number } | undefined;
  const sampleClient = () => {
    if (client) client.seconds = cpuSeconds(client.pid) || client.seconds;
  };
  // Often enough to catch most of a short-lived process's CPU before it exits (pgbench, its backends).
  const sampler = setInterval(() => {
    api?.sample();
    sampleClient();
    void backends.sample();
  }, 100);
  const self = process.cpuUsage();
  const machine = machineCpu();
  let result: T;
  try {
    result = await work((pid) => (client = { pid, seconds: 0 }));
  } finally {
    clearInterval(sampler);
  }
  const selfUse = process.cpuUsage(self);
  const machineAfter = machineCpu();
  sampleClient();
  return {
    result,
    cpu: {
      api: api?.end() ?? 0,
      postgres: await backends.end(),
      client: client ? client.seconds : (selfUse.user + selfUse.system) / 1e6,
      machine: (machineAfter.busy - machine.busy) / 100, // clock ticks (100 Hz)
    },
  };
}
