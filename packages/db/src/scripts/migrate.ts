// pnpm db:migrate | db:migrate:down | db:migrate:create [name]
import { openDatabase, schemaChangesInTurn } from '../database.ts';
import { withScratchDatabase } from '../migrations.ts';
import { initORM } from '../orm.ts';
import { run } from './run.ts';

const [command = 'up', name] = process.argv.slice(2);

run(async () => {
  const database = await openDatabase();
  try {
    if (command === 'create') {
      const result = await withScratchDatabase(database, (orm) =>
        orm.migrator.createMigration(undefined, false, false, name),
      );
      console.log(
        result.fileName
          ? `created ${result.fileName}: add it to the list in src/migrations/index.ts`
          : 'entities and migrations agree: nothing to create',
      );
      return;
    }
    // Two commands at once take turns (see schemaChangesInTurn).
    await schemaChangesInTurn(database.url, async () => {
      const orm = await initORM(database);
      try {
        if (command === 'up') {
          const applied = await orm.migrator.up();
          console.log(
            applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations',
          );
        } else if (command === 'down') {
          const reverted = await orm.migrator.down();
          console.log(
            reverted.length ? `reverted ${reverted.map((m) => m.name).join(', ')}` : 'nothing to revert',
          );
        } else {
          throw new Error(`unknown command "${command}": use up, down or create`);
        }
      } finally {
        await orm.close();
      }
    });
  } finally {
    await database.stop();
  }
});
