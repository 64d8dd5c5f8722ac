import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import { BoundParametersDriver, PREPARED_STATEMENTS_OPTION } from './bound-parameters.ts';
import { entities } from './entities/index.ts';
import { CONNECTION_DEFAULTS } from './env.ts';
import { migrationsList } from './migrations/index.ts';

export interface ConnectionSettings {
  url: string;
  poolMax?: number;
  poolAcquireTimeoutMs?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Hot statements as named prepared statements (preparedStatement); default true. */
  preparedStatements?: boolean;
}

// Where db:migrate:create writes. Resolved through the package folder so that it is the same from
// src/config.ts and from the bundles in dist/ (one folder deep too).
const migrationsPath = fileURLToPath(new URL('../src/migrations', import.meta.url));

export const migrationOptions = {
  migrationsList,
  path: migrationsPath,
  pathTs: migrationsPath,
  transactional: true,
  allOrNothing: true,
  // Diffs are taken against a database migrated from scratch, never a snapshot file that can drift.
  snapshot: false,
  emit: 'ts',
} satisfies Options['migrations'];

export function createConfig(settings: ConnectionSettings, overrides: Options = {}): Options {
  const statementTimeout = settings.statementTimeoutMs ?? CONNECTION_DEFAULTS.statementTimeoutMs;
  return defineConfig({
    clientUrl: settings.url,
    // Values go to PostgreSQL as bind parameters, never written into the SQL text (so never in its log).
    driver: BoundParametersDriver,
    entities,
    extensions: [Migrator, SeedManager],
    // A request waits at most acquireTimeoutMillis for a connection, then fails as SERVICE_UNAVAILABLE:
    // under overload requests fail fast and clearly instead of queueing without end.
    pool: {
      min: 0,
      max: settings.poolMax ?? CONNECTION_DEFAULTS.poolMax,
      acquireTimeoutMillis: settings.poolAcquireTimeoutMs ?? CONNECTION_DEFAULTS.poolAcquireTimeoutMs,
    },
    driverOptions: {
      // Off behind PgBouncer in transaction mode before 1.21 (docs/scaling.md); knex ignores the key.
      [PREPARED_STATEMENTS_OPTION]: settings.preparedStatements ?? CONNECTION_DEFAULTS.preparedStatements,
      // A failed statement's error message shows its SQL with $1, $2, not the values knex would write in.
      compileSqlOnError: false,
      connection: {
        connectionTimeoutMillis: settings.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
        // Sent as a start-up parameter, never as a SET. PgBouncer refuses it: behind PgBouncer set 0 (none
        // is sent) and give the role the timeout instead (docs/scaling.md).
        ...(statementTimeout ? { statement_timeout: statementTimeout } : {}),
        application_name: 'mergington',
      },
    },
    migrations: migrationOptions,
    // Each request forks its own EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    ...overrides,
  });
}
