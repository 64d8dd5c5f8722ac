// pnpm db:seed: loads the sample data into an empty database (a database with data is left alone).
import { openDatabase } from '../database.ts';
import { initORM } from '../orm.ts';
import { seedSampleData } from '../init.ts';
import { run } from './run.ts';

run(async () => {
  const database = await openDatabase();
  try {
    const orm = await initORM(database);
    try {
      console.log(
        (await seedSampleData(orm)) ? 'seeded the sample data' : 'the database has data: not seeded',
      );
    } finally {
      await orm.close();
    }
  } finally {
    await database.stop();
  }
});
