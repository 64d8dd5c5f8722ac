import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ConfigError, type DbEnv, readDbEnv } from './env.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import type { ConnectionSettings } from './config.ts';

/** Where the embedded PostgreSQL keeps its data by default: `.data/postgres` at the top of the checkout. */
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../../.data/postgres', import.meta.url));
const EMBEDDED_DATABASE = 'mergington';

export interface DatabaseHandle extends ConnectionSettings {
  embedded: boolean;
  /** Stops the embedded PostgreSQL, if this process started it; a no-op for an external server. */
  stop(): Promise<void>;
}

/**
 * The database this process should use: DATABASE_URL when set, else the embedded PostgreSQL (started
 * here when it is not already running). The server is checked to be reachable, with a short retry.
 */
export async function openDatabase(env: DbEnv = readDbEnv()): Promise<DatabaseHandle> {
  const settings = {
    poolMax: env.DB_POOL_MAX,
    poolAcquireTimeoutMs: env.DB_POOL_ACQUIRE_TIMEOUT_MS,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    preparedStatements: env.DB_PREPARED_STATEMENTS,
  };
  if (env.DATABASE_URL) {
    await waitForServer(env.DATABASE_URL, env.DB_CONNECT_TIMEOUT_MS);
    return { ...settings, url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR ?? EMBEDDED_DATA_DIR, env.EMBEDDED_PG_PORT);
  const url = `${server.serverUrl}/${EMBEDDED_DATABASE}`;
  await waitForServer(url, env.DB_CONNECT_TIMEOUT_MS);
  return { ...settings, url, embedded: true, stop: server.stop };
}

/** Runs a statement on the server's `postgres` database (to create or drop others); returns its rows. */
export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = maintenanceClient(url);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Creates the URL's database when it does not exist yet; returns whether it did. Another process creating
 * it at the same moment is not an error: the database exists, which is what was asked.
 */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if ((await adminQuery(url, 'select 1 from pg_database where datname = $1', [name])).length) return false;
  try {
    await adminQuery(url, `create database "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    // duplicate_database, or the catalogue's unique index when both inserted at once
    if (code === '42P04' || (code === '23505' && constraint === 'pg_database_datname_index')) return false;
    throw error;
  }
}

/** A client of the server's `postgres` database, which every server has. */
function maintenanceClient(url: string): pg.Client {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  return new pg.Client({ connectionString: maintenance.toString() });
}

/**
 * Creates the URL's database if it is missing and runs `work` (migrating, seeding) on it, while no other
 * process does such work on the server: `pnpm start` and `pnpm db:migrate` started at once on a fresh
 * machine take turns, and the second finds the database created, migrated and seeded. The turn is a
 * transaction's advisory lock on the server's `postgres` database (a transaction, so that it also holds
 * through a pooler in transaction mode). `work` is told whether the database was created.
 */
export async function schemaChangesInTurn<T>(
  url: string,
  work: (createdDatabase: boolean) => Promise<T>,
): Promise<T> {
  const turn = maintenanceClient(url);
  await turn.connect();
  try {
    await turn.query('begin');
    await turn.query(`select pg_advisory_xact_lock(hashtext('mergington.schema_changes'))`);
    return await work(await createDatabaseIfMissing(url));
  } finally {
    await turn.end(); // which ends the transaction, and the turn with it
  }
}

/**
 * Connects once to prove the server answers, retrying a few times over about five seconds. A database
 * that does not exist yet counts as reachable: db:init creates it.
 */
async function waitForServer(url: string, connectTimeoutMs: number): Promise<void> {
  const attempts = 5;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
    client.on('error', () => {});
    try {
      await client.connect();
      return;
    } catch (error) {
      if ((error as { code?: string }).code === '3D000') return; // invalid_catalog_name: no such database yet
      lastError = error;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw unreachable(url, lastError);
}

function unreachable(url: string, error: unknown): ConfigError {
  const { hostname, port } = new URL(url);
  const reason = error instanceof Error ? error.message || (error as { code?: string }).code : String(error);
  return new ConfigError(
    `Cannot reach PostgreSQL at ${hostname}:${port || 5432} (${reason}). ` +
      'Start that server or set DATABASE_URL to one that runs; unset DATABASE_URL to use the embedded database.',
  );
}
