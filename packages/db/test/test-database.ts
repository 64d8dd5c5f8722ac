import { afterAll, inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initORM } from '../src/orm.ts';
import { copyDatabase, databaseUrl, dropDatabase } from './databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the test server; any database name in it is replaced per test file. */
    testServerUrl: string;
    /** A database migrated once, copied for each test file. */
    templateDatabase: string;
  }
}

export interface TestDatabase {
  orm: MikroORM;
  url: string;
}

/**
 * A migrated database of this test file's own, dropped after the file: files never see each other's
 * data. Call at the top level of a test file.
 */
export async function useTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const serverUrl = inject('testServerUrl');
  const name = await copyDatabase(serverUrl, inject('templateDatabase'));
  const url = databaseUrl(serverUrl, name);
  const orm = await initORM({ url, poolMax: options.poolMax ?? 10 });
  afterAll(async () => {
    await orm.close();
    await dropDatabase(serverUrl, name);
  });
  return { orm, url };
}

/**
 * A digest of every row of every table but the given ones: equal digests, equal data. (Staging and
 * bookkeeping tables are left out by default.)
 */
export async function databaseFingerprint(
  orm: MikroORM,
  exclude: string[] = ['mikro_orm_migrations', 'import_chunk', 'login_throttle'],
): Promise<string> {
  const connection = orm.em.fork().getConnection();
  const tables = await connection.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables.filter((t) => !exclude.includes(t.table_name))) {
    const [row] = await connection.execute<{ digest: string | null }[]>(
      `select md5(string_agg(t::text, '|' order by t::text)) as digest from "${table_name}" t`,
    );
    parts.push(`${table_name}:${row?.digest}`);
  }
  return parts.join('\n');
}
