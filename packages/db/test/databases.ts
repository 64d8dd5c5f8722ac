import { randomBytes } from 'node:crypto';
import { adminQuery } from '../src/database.ts';
import { initORM } from '../src/orm.ts';

export { adminQuery };

/** The same server, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new database with every migration applied; test files copy it instead of migrating again. */
export async function createTemplateDatabase(serverUrl: string): Promise<string> {
  const name = `mergington_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const orm = await initORM({ url: databaseUrl(serverUrl, name) }, { debug: false });
  try {
    await orm.migrator.up();
  } finally {
    await orm.close();
  }
  return name;
}

/** Copies the template into a new database; copies started at once may collide, so they retry. */
export async function copyDatabase(serverUrl: string, template: string): Promise<string> {
  const name = `mergington_test_${randomBytes(4).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(serverUrl, `create database ${name} template ${template}`);
      return name;
    } catch (error) {
      // 55006 object_in_use: another copy of the template is being made right now.
      if ((error as { code?: string }).code !== '55006' || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
}
