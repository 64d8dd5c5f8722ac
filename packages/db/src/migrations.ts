import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { adminQuery } from './database.ts';
import { initORM } from './orm.ts';
import type { ConnectionSettings } from './config.ts';

/**
 * Runs fn against a new, empty database on the same server, migrated from scratch, then drops it. This is
 * how migrations are created and checked: against what the migrations build, not a snapshot.
 */
export async function withScratchDatabase<T>(
  settings: ConnectionSettings,
  fn: (orm: MikroORM) => Promise<T>,
): Promise<T> {
  const name = `mergington_scratch_${randomBytes(4).toString('hex')}`;
  await adminQuery(settings.url, `create database ${name}`);
  try {
    const url = new URL(settings.url);
    url.pathname = `/${name}`;
    const orm = await initORM({ ...settings, url: url.toString() });
    try {
      await orm.migrator.up();
      return await fn(orm);
    } finally {
      await orm.close();
    }
  } finally {
    await adminQuery(settings.url, `drop database if exists ${name} with (force)`);
  }
}
