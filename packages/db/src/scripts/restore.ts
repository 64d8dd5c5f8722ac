// pnpm db:restore <file> [--force]: restores a backup in one transaction (see src/backup.ts).
import { resolve } from 'node:path';
import { BackupError } from '../backup/format.ts';
import { restoreDatabase } from '../backup/reader.ts';
import { createDatabaseIfMissing, openDatabase } from '../database.ts';
import { run, TaskError } from './run.ts';

const args = process.argv.slice(2);
const force = args.includes('--force');
const [target] = args.filter((arg) => arg !== '--force');

run(async () => {
  if (!target) throw new TaskError('name the backup file: pnpm db:restore <file> [--force]');
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), target);
  const database = await openDatabase();
  try {
    await createDatabaseIfMissing(database.url);
    const summary = await restoreDatabase(database.url, file, { force }).catch((error: unknown) => {
      throw error instanceof BackupError ? new TaskError(error.message) : error;
    });
    const rows = Object.values(summary.tables).reduce((sum, table) => sum + table.rows, 0);
    const migrated = summary.appliedMigrations.length
      ? `; applied ${summary.appliedMigrations.join(', ')} first`
      : '';
    console.log(
      `restored ${rows} rows of ${Object.keys(summary.tables).length} tables (schema ${summary.schemaVersion}${migrated}); counts and checksums verified`,
    );
  } finally {
    await database.stop();
  }
});
