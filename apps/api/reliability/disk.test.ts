import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDatabase, initORM, startEmbeddedPostgres } from '@mergington/db';
import { databaseFingerprint } from '@mergington/db/testing';
import { freePort } from '@mergington/db/testing/ports';

// One cluster with the sample data, on a small tmpfs when this machine lets us mount one (a real full
// disk), else in a plain folder (the full-disk case is then skipped, saying why). Its parent folder is
// what the tests make unreachable for the server's user (`postgres` when we run as root).
const base = mkdtempSync(join(tmpdir(), 'mergington-disk-'));
chmodSync(base, 0o755);
const disk = join(base, 'disk');
mkdirSync(disk, { mode: 0o755 });
let mounted: string | true;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m,mode=0755', 'tmpfs', disk], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  mounted = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
}
const dataDir = join(disk, 'pg');
const port = await freePort();
afterAll(() => {
  chmodSync(disk, 0o755);
  if (mounted === true) execFileSync('umount', [disk]);
  rmSync(base, { recursive: true, force: true });
});

/** Starts the embedded server on dataDir in this process, applies fn to its database, stops it. */
async function withServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const server = await startEmbeddedPostgres(dataDir, port);
  try {
    return await fn(`${server.serverUrl}/mergington`);
  } finally {
    await server.stop();
  }
}

async function fingerprint(): Promise<string> {
  return withServer(async (url) => {
    const orm = await initORM({ url });
    try {
      return await databaseFingerprint(orm, []);
    } finally {
      await orm.close();
    }
  });
}

let before: string;
beforeAll(async () => {
  await withServer((url) => initDatabase({ url }, { seed: true }));
  before = await fingerprint();
});

/** Runs the API's main.ts on the embedded database until it exits: its exit code and output lines. */
function runMain(dir: string): Promise<{ code: number | null; lines: string[]; ms: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        DATABASE_URL: '',
        EMBEDDED_PG_DIR: dir,
        EMBEDDED_PG_PORT: String(port),
        PORT: '0',
        SEED_SAMPLE_DATA: 'false',
        API_WORKERS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: output.trim().split('\n'), ms: performance.now() - started });
    }),
  );
}

/** The one line a failed start printed: fatal, without a stack trace, saying what is wrong. */
function expectOneClearLine(lines: string[], pattern: RegExp): string {
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]!) as { level: number; msg: string; err?: unknown };
  expect(entry.level).toBe(60);
  expect(entry.err).toBeUndefined();
  expect(entry.msg).toMatch(pattern);
  return entry.msg;
}

describe('an unwritable embedded data directory', () => {
  it('stops the start with one clear line, for a new folder and for existing data, which stays intact', async () => {
    chmodSync(disk, 0o000);
    const fresh = await runMain(join(disk, 'fresh'));
    const existing = await runMain(dataDir);
    chmodSync(disk, 0o755);
    const after = await fingerprint();
    const freshMessage = expectOneClearLine(fresh.lines, /cannot use .*fresh: .*Permission denied/);
    const existingMessage = expectOneClearLine(existing.lines, /cannot use .*pg: .*Permission denied/);
    console.log(
      [
        'unwritable embedded data directory:',
        `  new folder: exit ${fresh.code} after ${fresh.ms.toFixed(0)} ms: ${freshMessage}`,
        `  existing data: exit ${existing.code} after ${existing.ms.toFixed(0)} ms: ${existingMessage}`,
        `  data after access is restored: ${after === before ? 'identical' : 'DIFFERENT'} (fingerprint of every table)`,
      ].join('\n'),
    );
    expect(fresh.code).toBe(1);
    expect(existing.code).toBe(1);
    expect(after).toBe(before);
  });
});

describe('a full disk under the embedded database', () => {
  it('stops the start with one clear line and leaves the data intact', async (context) => {
    if (mounted !== true) {
      console.log(`full disk: skipped, no small file system can be mounted here (${mounted})`);
      return context.skip();
    }
    const filler = join(disk, 'filler');
    const { bavail, bsize } = statfsSync(disk);
    const freeMb = (bavail * bsize) / 2 ** 20;
    try {
      for (;;) writeFileSync(filler, Buffer.alloc(1 << 20), { flag: 'a' });
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const full = await runMain(dataDir);
    rmSync(filler);
    const after = await fingerprint();
    const message = expectOneClearLine(full.lines, /cannot use .*No space left on device/);
    console.log(
      [
        `full disk (96 MB tmpfs; the ${freeMb.toFixed(0)} MB the database left free filled up):`,
        `  start: exit ${full.code} after ${full.ms.toFixed(0)} ms: ${message}`,
        `  data after space is freed: ${after === before ? 'identical' : 'DIFFERENT'} (fingerprint of every table)`,
      ].join('\n'),
    );
    expect(full.code).toBe(1);
    expect(after).toBe(before);
  });
});
