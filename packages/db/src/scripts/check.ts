// pnpm db:check: fails when the entities and the migrations disagree.
import { openDatabase } from '../database.ts';
import { withScratchDatabase } from '../migrations.ts';
import { run, TaskError } from './run.ts';

run(async () => {
  const database = await openDatabase();
  try {
    const diff = await withScratchDatabase(database, (orm) =>
      orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true }),
    );
    if (diff.trim()) {
      console.error(diff);
      throw new TaskError(
        'the entities differ from what the migrations build (SQL above): run `pnpm db:migrate:create`',
      );
    }
    console.log('db:check: entities and migrations agree');
  } finally {
    await database.stop();
  }
});
