import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import { BoundParametersDriver } from './bound-parameters.ts';
import { entities } from './entities/index.ts';

export interface ConnectionSettings {
  url: string;
  poolMax?: number;
  poolAcquireTimeoutMs?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

const migrationsPath = fileURLToPath(new URL('./migrations', import.meta.url));

export function createConfig(settings: ConnectionSettings, overrides: Options = {}): Options {
  const statementTimeout = settings.statementTimeoutMs ?? 15_000;
  return defineConfig({
    clientUrl: settings.url,
    // Values go to PostgreSQL as bind parameters, never written into the SQL text (so never in its log).
    driver: BoundParametersDriver,
    entities,
    extensions: [Migrator, SeedManager],
    // Vitest and tsx load the migrations as TypeScript through their own loaders.
    dynamicImportProvider: (id) => import(id),
    // A request waits at most acquireTimeoutMillis for a connection, then fails as SERVICE_UNAVAILABLE:
    // under overload requests fail fast and clearly instead of queueing without end.
    pool: {
      min: 0,
      max: settings.poolMax ?? 10,
      acquireTimeoutMillis: settings.poolAcquireTimeoutMs ?? 10_000,
    },
    driverOptions: {
      // A failed statement's error message shows its SQL with $1, $2, not the values knex would write in.
      compileSqlOnError: false,
      connection: {
        connectionTimeoutMillis: settings.connectTimeoutMs ?? 5_000,
        // Sent as a start-up parameter, never as a SET. PgBouncer refuses it: behind PgBouncer set 0 (none
        // is sent) and give the role the timeout instead (docs/scaling.md).
        ...(statementTimeout ? { statement_timeout: statementTimeout } : {}),
        application_name: 'mergington',
      },
    },
    migrations: {
      path: migrationsPath,
      pathTs: migrationsPath,
      glob: 'Migration*.{js,ts}',
      transactional: true,
      allOrNothing: true,
      // Diffs are taken against a database migrated from scratch, never a snapshot file that can drift.
      snapshot: false,
      emit: 'ts',
    },
    // Each request forks its own EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    ...overrides,
  });
}
