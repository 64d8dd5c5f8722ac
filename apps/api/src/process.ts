import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@mergington/db/testing/ports';

export interface ApiProcess {
  origin: string;
  pid: number;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): void;
}

/**
 * Runs `src/main.ts` as a process of its own on a free port, as a replica would run, and waits until
 * /readyz answers. For tests and benchmarks.
 */
export async function startApiProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  /** Receives the process's output (pino's JSON lines); without it only the last of it is kept, to say why a process exited before it was ready. */
  onOutput?: (chunk: string) => void,
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        SEED_SAMPLE_DATA: 'false',
        LOG_LEVEL: 'warn',
        // One process, whose pid is the one serving, unless the caller asks for workers.
        API_WORKERS: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The last of the output, to say why a process that exited before it was ready did so.
  let recent = '';
  const receive = (chunk: Buffer) => {
    recent = (recent + chunk.toString()).slice(-4000);
    onOutput?.(chunk.toString());
  };
  child.stdout.on('data', receive);
  child.stderr.on('data', receive);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const origin = `http://127.0.0.1:${port}`;
  // Two minutes: on a machine loaded by other work a cluster of workers, each loading the sources through
  // tsx, took over 30 s to answer.
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`the API process exited (code ${exitCode}) before it was ready:\n${recent}`);
    if (
      await fetch(`${origin}/readyz`).then(
        (response) => response.ok,
        () => false,
      )
    ) {
      return { origin, pid: child.pid!, exited, stop: (signal = 'SIGTERM') => void child.kill(signal) };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the API process did not become ready within 120 s');
}
