// pnpm start / pnpm dev: the API and the web app on one port, on DATABASE_URL or the embedded database.
import { pino } from 'pino';
import { ConfigError, initDatabase, initORM, type MikroORM, openDatabase } from '@mergington/db';
import { readApiEnv } from './env.ts';
import { createApiServer } from './server.ts';

const logger = pino();

async function main() {
  const env = readApiEnv();
  logger.level = env.LOG_LEVEL;
  const database = await openDatabase();
  let orm: MikroORM;
  try {
    if (env.MIGRATE_ON_START) {
      const report = await initDatabase(database, { seed: env.SEED_SAMPLE_DATA });
      logger.info({ embedded: database.embedded, ...report }, 'database ready');
    }
    orm = await initORM(database);
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
  } catch (error) {
    await database.stop();
    throw error;
  }
  const server = createApiServer({
    orm,
    logger,
    webDist: env.WEB_DIST,
    trustProxy: env.TRUST_PROXY,
    maxBodyBytes: env.MAX_BODY_BYTES,
  });

  // Stop accepting, finish the requests in flight, close the pool, then stop the embedded database.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    await orm.close();
    await database.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.PORT, env.HOST, resolve);
    });
  } catch (error) {
    await orm.close();
    await database.stop();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new ConfigError(`${env.HOST}:${env.PORT} is already in use: stop what listens there or set PORT`);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info(
    { url: `http://${env.HOST}:${port}` },
    `Mergington Activities is running at http://${env.HOST}:${port}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
