// pnpm worker: the job queue (notification emails, daily reminders) in a process of its own, for
// WORKER=separate (the compose file's `worker` service). It serves no HTTP and never migrates.
import { pino } from 'pino';
import { ConfigError, initORM, openDatabase, readDbEnv } from '@mergington/db';
import { readApiEnv } from './env.ts';
import { startQueue } from './notifications/queue.ts';

const logger = pino();

async function main() {
  const env = readApiEnv();
  logger.level = env.LOG_LEVEL;
  if (!readDbEnv().DATABASE_URL) {
    throw new ConfigError('pnpm worker needs DATABASE_URL: the database of the API it works for');
  }
  const database = await openDatabase();
  const orm = await initORM(database);
  const pending = await orm.migrator.getPendingMigrations();
  if (pending.length) {
    await orm.close();
    throw new ConfigError(`${pending.length} migration(s) pending: run pnpm db:migrate first`);
  }
  const queue = await startQueue({ databaseUrl: database.url, orm, logger, settings: env });
  logger.info('the job queue is running (pnpm worker)');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await queue.stop();
    await orm.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
