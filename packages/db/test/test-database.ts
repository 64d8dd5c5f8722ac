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
