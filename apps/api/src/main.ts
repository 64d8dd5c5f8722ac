// pnpm start / pnpm dev: the API and the web app on one port, on DATABASE_URL or the embedded database.
// With API_WORKERS > 1 this process is the cluster's primary: it prepares the database once, then forks
// that many workers which serve the port and share nothing but PostgreSQL.
import cluster, { type Worker } from 'node:cluster';
import { statSync } from 'node:fs';
import { pino } from 'pino';
import {
  ConfigError,
  type DatabaseHandle,
  initDatabase,
  initORM,
  type MikroORM,
  openDatabase,
} from '@mergington/db';
import { scheduleAuditPruning } from './audit-retention.ts';
import { type ApiEnv, readApiEnv } from './env.ts';
import { startQueue } from './notifications/queue.ts';
import { createApiServer } from './server.ts';

const logger = pino();

/** Set by the primary on the one worker that runs the job queue (see superviseWorkers). */
const QUEUE_WORKER_FLAG = 'MERGINGTON_QUEUE_WORKER';

/**
 * Connections the kernel may queue before the API accepts them (Node's default is 511; the kernel caps it at
 * net.core.somaxconn, 4096 on current kernels). When signups open, thousands connect in the same second:
 * past the queue the kernel drops handshakes, and those clients wait out SYN retries or get reset.
 */
const LISTEN_BACKLOG = 4096;

async function main() {
  const env = readApiEnv();
  logger.level = env.LOG_LEVEL;
  if (!cluster.isWorker) checkLegacySettings(env);
  // A worker's DATABASE_URL is the primary's database, already migrated (an embedded one is the primary's).
  if (cluster.isWorker) return serve(env, await openDatabase());
  const database = await openDatabase();
  let orm: MikroORM;
  try {
    orm = await prepareDatabase(env, database);
  } catch (error) {
    await database.stop();
    throw error;
  }
  if (env.API_WORKERS === 1) return serve(env, database, orm);
  await orm.close();
  superviseWorkers(env, database);
}

/** Migrates (MIGRATE_ON_START) or refuses to start while a migration is pending; the ORM it opened. */
async function prepareDatabase(env: ApiEnv, database: DatabaseHandle): Promise<MikroORM> {
  if (env.MIGRATE_ON_START) {
    const report = await initDatabase(database, { seed: env.SEED_SAMPLE_DATA });
    logger.info({ embedded: database.embedded, ...report }, 'database ready');
  }
  const orm = await initORM(database);
  if (!env.MIGRATE_ON_START) {
    const pending = (await orm.migrator.getPendingMigrations()).map((migration) => migration.name);
    if (pending.length) {
      await orm.close();
      throw new ConfigError(
        `${pending.length} migration(s) pending (${pending.join(', ')}): run pnpm db:migrate first, or set MIGRATE_ON_START=true`,
      );
    }
    logger.info({ embedded: database.embedded }, 'database ready (migrated by the deploy)');
  }
  return orm;
}

/** Serves the port from this process (the only one, or a worker) with a pool of its own. */
async function serve(env: ApiEnv, database: DatabaseHandle, orm?: MikroORM) {
  orm ??= await initORM(database);
  const stopPruning = scheduleAuditPruning(orm, env.AUDIT_RETENTION_DAYS, logger);
  const server = createApiServer({
    orm,
    logger,
    webDist: env.WEB_DIST,
    trustProxy: env.TRUST_PROXY,
    maxBodyBytes: env.MAX_BODY_BYTES,
    legacy: { mode: env.LEGACY_API, staticDir: env.LEGACY_STATIC_DIR, rateLimit: env.LEGACY_RATE_LIMIT },
    emailOn: Boolean(env.SMTP_URL),
  });

  // Stop accepting, finish the requests in flight, close the pool, then stop the embedded database (a
  // worker's handle stops nothing: the primary stops it once every worker has exited).
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stopPruning();
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    await queue?.stop();
    await orm.close();
    await database.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // The job queue runs in one process of the API (or in none, with WORKER=separate): email is I/O that one
  // process keeps up with, and every runner is one more pool of connections polling the queue.
  const runsQueue =
    env.WORKER === 'in-api' && (cluster.isPrimary || process.env[QUEUE_WORKER_FLAG] === 'true');
  const queue = runsQueue
    ? await startQueue({ databaseUrl: database.url, orm, logger, settings: env })
    : null;
  if (env.WORKER === 'separate' && cluster.isPrimary)
    logger.info('the job queue runs in pnpm worker (WORKER=separate)');

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: env.PORT, host: env.HOST, backlog: LISTEN_BACKLOG }, resolve);
    });
  } catch (error) {
    await queue?.stop();
    await orm.close();
    await database.stop();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new ConfigError(`${env.HOST}:${env.PORT} is already in use: stop what listens there or set PORT`);
  }
  if (cluster.isWorker) return; // the primary says where it runs, once
  const address = server.address();
  announce(typeof address === 'object' && address ? address.port : env.PORT, env);
}

/** The old app's API (README: Moving from the old app): a folder that is not there stops the start. */
function checkLegacySettings(env: ApiEnv) {
  if (env.LEGACY_STATIC_DIR && !statSync(env.LEGACY_STATIC_DIR, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`LEGACY_STATIC_DIR=${env.LEGACY_STATIC_DIR} is not a folder`);
  }
  if (env.LEGACY_STATIC_DIR && env.LEGACY_API === 'off') {
    logger.warn('LEGACY_STATIC_DIR is ignored while LEGACY_API=off: the old pages are not served');
  }
  if (env.LEGACY_API === 'open') {
    logger.warn(
      'LEGACY_API=open: anyone who reaches this server may sign up or unregister any student by email, as the old app allowed. Use it only on a trusted network, never on the internet',
    );
  }
}

function announce(port: number, env: ApiEnv) {
  logger.info(
    { url: `http://${env.HOST}:${port}`, workers: env.API_WORKERS },
    `Mergington Activities is running at http://${env.HOST}:${port}`,
  );
}

/**
 * Forks API_WORKERS workers and keeps that many running: one that dies after it served is replaced; one
 * that fails to start (port in use, database gone) stops everything, as restarting it would only loop.
 * SIGTERM or SIGINT passes SIGTERM to every worker (each finishes its requests in flight and closes its
 * pool), then stops the embedded database and exits 0.
 */
function superviseWorkers(env: ApiEnv, database: DatabaseHandle) {
  const running = new Set<Worker>();
  const served = new Set<Worker>();
  let stopping = false;
  // The worker that runs the job queue; its replacement takes it over.
  let queueWorker: Worker | null = null;

  const fork = () => {
    const runsQueue = queueWorker === null;
    const worker = cluster.fork({ DATABASE_URL: database.url, [QUEUE_WORKER_FLAG]: String(runsQueue) });
    if (runsQueue) queueWorker = worker;
    running.add(worker);
  };
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const exited = [...running].map(
      (worker) => new Promise((resolve) => (worker.isDead() ? resolve(null) : worker.once('exit', resolve))),
    );
    for (const worker of running) worker.process.kill('SIGTERM');
    await Promise.all(exited);
    await database.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };

  cluster.on('listening', (worker, address) => {
    served.add(worker);
    if (served.size === env.API_WORKERS) announce(address.port, env);
  });
  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    if (worker === queueWorker) queueWorker = null;
    if (stopping) return;
    if (!served.has(worker)) {
      logger.fatal({ workerPid: worker.process.pid, code, signal }, 'a worker failed to start: stopping');
      return void stop(1);
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, 'a worker died: starting another');
    fork();
  });
  process.on('SIGINT', () => {
    logger.info({ signal: 'SIGINT' }, 'shutting down');
    void stop(0);
  });
  process.on('SIGTERM', () => {
    logger.info({ signal: 'SIGTERM' }, 'shutting down');
    void stop(0);
  });
  for (let i = 0; i < env.API_WORKERS; i++) fork();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
