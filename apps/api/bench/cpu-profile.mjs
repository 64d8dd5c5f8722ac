// Preloaded into the API process by `BENCH_CPU_PROF_DIR=<dir> pnpm bench:api` (NODE_OPTIONS=--import=...):
// what `node --cpu-prof` does (which NODE_OPTIONS refuses), through the inspector. The profile is written to
// BENCH_CPU_PROF_DIR as the process exits, one file per process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import process from 'node:process';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // --cpu-prof's default interval, 1 ms.
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // A session on this thread answers synchronously, so this runs to the end inside the exit handler.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
