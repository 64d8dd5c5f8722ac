import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { initORM } from '@mergington/db';
import { databaseFingerprint } from '@mergington/db/testing';
import { freePort, startApiProcess } from '../src/process.ts';

// Folders the embedded server's user (`postgres` when we run as root) can reach.
const base = mkdtempSync(join(tmpdir(), 'mergington-disk-'));
chmodSync(base, 0o755);
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) execFileSync('umount', [mount]);
  chmodSync(base, 0o755);
  rmSync(base, { recursive: true, force: true });
});

/** Runs the API's main.ts until it exits; returns its exit code and output (pino's JSON lines). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; lines: string[]; ms: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))],
    {
      env: { ...process.env, DATABASE_URL: '', PORT: '0', SEED_SAMPLE_DATA: 'false', ...env },
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

/** The one line a failed start printed, and that it is one clear line without a stack trace. */
function expectOneClearLine(lines: string[], pattern: RegExp): string {
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]!) as { level: number; msg: string; err?: unknown };
  expect(entry.level).toBe(60); // fatal
  expect(entry.err).toBeUndefined(); // no stack
  expect(entry.msg).toMatch(pattern);
  return entry.msg;
}

/** Starts the API on the embedded database in dataDir, fingerprints its data, stops it cleanly. */
async function fingerprintThroughApi(dataDir: string, port: number, seed: boolean): Promise<string> {
  const api = await startApiProcess('', {
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(port),
    SEED_SAMPLE_DATA: String(seed),
  });
  const orm = await initORM({ url: `postgres://postgres:mergington@127.0.0.1:${port}/mergington` });
  try {
    return await databaseFingerprint(orm, []);
  } finally {
    await orm.close();
    api.stop();
    await api.exited;
  }
}

describe('an unwritable embedded data directory', () => {
  it('stops the start with one clear line, for a new folder and for existing data, which stays intact', async () => {
    const parent = join(base, 'locked');
    mkdirSync(parent);
    const port = await freePort();

    // A new folder the server cannot reach.
    chmodSync(parent, 0o000);
    const fresh = await runMain({ EMBEDDED_PG_DIR: join(parent, 'fresh'), EMBEDDED_PG_PORT: String(port) });
    const freshMessage = expectOneClearLine(fresh.lines, /cannot use .*fresh: .*Permission denied/);
    expect(fresh.code).toBe(1);

    // Existing data, then its folder made unreachable.
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'existing');
    const before = await fingerprintThroughApi(dataDir, port, true);
    chmodSync(parent, 0o000);
    const existing = await runMain({ EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(port) });
    const existingMessage = expectOneClearLine(existing.lines, /cannot use .*existing: .*Permission denied/);
    expect(existing.code).toBe(1);
    chmodSync(parent, 0o755);
    const after = await fingerprintThroughApi(dataDir, port, false);

    console.log(
      [
        'unwritable embedded data directory:',
        `  new folder: exit ${fresh.code} after ${fresh.ms.toFixed(0)} ms: ${freshMessage}`,
        `  existing data: exit ${existing.code} after ${existing.ms.toFixed(0)} ms: ${existingMessage}`,
        `  data after access is restored: ${after === before ? 'identical' : 'DIFFERENT'} (fingerprint of every table)`,
      ].join('\n'),
    );
    expect(after).toBe(before);
  });
});

describe('a full disk under the embedded database', () => {
  it('stops the start with one clear line and leaves the data intact', async (context) => {
    const mount = join(base, 'tiny');
    mkdirSync(mount);
    try {
      // A real full disk: a small tmpfs (needs root and CAP_SYS_ADMIN, which CI's machines have).
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=0755', 'tmpfs', mount], { stdio: 'pipe' });
      mounts.push(mount);
    } catch (error) {
      const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
      console.log(`full disk: skipped, no small file system can be mounted here (${reason})`);
      context.skip();
    }
    const dataDir = join(mount, 'pg');
    const port = await freePort();
    const before = await fingerprintThroughApi(dataDir, port, true);

    // Fill what is left of the disk.
    const filler = join(mount, 'filler');
    let written = 0;
    try {
      for (;;) {
        writeFileSync(filler, Buffer.alloc(1 << 20), { flag: 'a' });
        written += 1;
      }
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const full = await runMain({ EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(port) });
    const message = expectOneClearLine(full.lines, /cannot use .*No space left on device/);
    expect(full.code).toBe(1);

    rmSync(filler);
    const after = await fingerprintThroughApi(dataDir, port, false);
    console.log(
      [
        'full disk (64 MB tmpfs, filled with ' + written + ' MB after the database):',
        `  start: exit ${full.code} after ${full.ms.toFixed(0)} ms: ${message}`,
        `  data after space is freed: ${after === before ? 'identical' : 'DIFFERENT'} (fingerprint of every table)`,
      ].join('\n'),
    );
    expect(after).toBe(before);
  });
});
