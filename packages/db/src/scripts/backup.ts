// pnpm db:backup [file]: a consistent, compressed, checksummed snapshot of every table (see src/backup.ts).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { backupDatabase } from '../backup/writer.ts';
import { openDatabase } from '../database.ts';
import { run } from './run.ts';

const [target] = process.argv.slice(2);
const cwd = process.env.INIT_CWD ?? process.cwd();
const file = resolve(
  cwd,
  target ?? `backups/mergington-${new Date().toISOString().replace(/[:.]/g, '-')}.backup.gz`,
);

run(async () => {
  const database = await openDatabase();
  try {
    mkdirSync(dirname(file), { recursive: true });
    const summary = await backupDatabase(database.url, file);
    const rows = Object.values(summary.tables).reduce((sum, table) => sum + table.rows, 0);
    console.log(
      `backed up ${rows} rows of ${Object.keys(summary.tables).length} tables (schema ${summary.schemaVersion}) to ${file}`,
    );
  } finally {
    await database.stop();
  }
});
