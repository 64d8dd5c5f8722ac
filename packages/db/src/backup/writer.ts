// pnpm db:backup: every table, in one consistent read, into the backup format (format.ts).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_TABLES,
  BackupError,
  type BackupSummary,
  columnList,
  END_OF_DATA,
  tableColumns,
  useCopySettings,
} from './format.ts';

export async function backupDatabase(url: string, file: string): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    await useCopySettings(client);
    const schemaVersion = await lastMigration(client);
    const columns = await tableColumns(client);
    const summary: BackupSummary = { schemaVersion, tables: {} };
    async function* content() {
      yield (
        JSON.stringify({
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          schemaVersion,
          createdAt: new Date().toISOString(),
        }) + '\n'
      );
      for (const table of BACKUP_TABLES) {
        yield JSON.stringify({ table, columns: columns[table] }) + '\n';
        const hash = createHash('sha256');
        const rows = client.query(
          copyTo(`copy (select ${columnList(columns[table]!)} from "${table}" order by id) to stdout`),
        );
        for await (const chunk of rows as AsyncIterable<Buffer>) {
          hash.update(chunk);
          yield chunk;
        }
        const sha256 = hash.digest('hex');
        summary.tables[table] = { rows: rows.rowCount, sha256 };
        yield END_OF_DATA + JSON.stringify({ end: table, rows: rows.rowCount, sha256 }) + '\n';
      }
    }
    // Level 1: the data is text that compresses well anyway; higher levels cost more time than they save.
    await pipeline(Readable.from(content()), createGzip({ level: 1 }), createWriteStream(file));
    await client.query('commit');
    return summary;
  } finally {
    await client.end();
  }
}

async function lastMigration(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `select name from mikro_orm_migrations order by id desc limit 1`,
  );
  if (!rows[0]) throw new BackupError('the database has no migrations applied: nothing to back up');
  return rows[0].name;
}
