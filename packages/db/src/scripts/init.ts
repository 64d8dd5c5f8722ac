// pnpm db:init: create the database if missing, apply pending migrations, seed an empty database.
import { openDatabase } from '../database.ts';
import { initDatabase } from '../init.ts';
import { run } from './run.ts';

run(async () => {
  const database = await openDatabase();
  try {
    const report = await initDatabase(database);
    console.log(
      [
        report.createdDatabase ? 'created the database' : 'database exists',
        report.appliedMigrations.length
          ? `applied ${report.appliedMigrations.join(', ')}`
          : 'schema up to date',
        report.seeded ? 'seeded the sample data' : 'not seeded (the database has data)',
      ].join('; '),
    );
  } finally {
    await database.stop();
  }
});
