import type { MikroORM } from '@mikro-orm/postgresql';
import { schemaChangesInTurn } from './database.ts';
import { initORM } from './orm.ts';
import { Activity, Student, Teacher } from './entities/index.ts';
import { DatabaseSeeder } from './seeders/DatabaseSeeder.ts';
import type { ConnectionSettings } from './config.ts';

/** Seeds the sample data when the database holds no activity, teacher or student; returns whether it did. */
export async function seedSampleData(orm: MikroORM): Promise<boolean> {
  const em = orm.em.fork();
  const rows = (await em.count(Activity)) + (await em.count(Teacher)) + (await em.count(Student));
  if (rows > 0) return false;
  await orm.seeder.seed(DatabaseSeeder);
  return true;
}

export interface InitReport {
  createdDatabase: boolean;
  appliedMigrations: string[];
  seeded: boolean;
}

/**
 * db:init, also run by `pnpm start`: create the database if missing, migrate, and (unless told not to,
 * as production is) seed an empty one with the sample data.
 */
export async function initDatabase(
  settings: ConnectionSettings,
  { seed = true }: { seed?: boolean } = {},
): Promise<InitReport> {
  return schemaChangesInTurn(settings.url, async (createdDatabase) => {
    const orm = await initORM(settings);
    try {
      const applied = await orm.migrator.up();
      const seeded = seed && (await seedSampleData(orm));
      return { createdDatabase, appliedMigrations: applied.map((m) => m.name), seeded };
    } finally {
      await orm.close();
    }
  });
}
