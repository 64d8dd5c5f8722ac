import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { initORM } from './orm.ts';
import { RECOUNT_SEATS } from './seats.ts';

/**
 * The backup format, version 1: gzip-compressed JSON lines.
 *   1. a header: {"format":"mergington-backup","formatVersion":1,"schemaVersion":<last migration>,"createdAt":...}
 *   2. per table, in the order restore needs: {"table":<name>}, then one line per row (the row as
 *      PostgreSQL's jsonb text, in primary-key order), then {"end":<name>,"rows":<count>,"sha256":<of those lines>}
 * Every table is read in one REPEATABLE READ transaction: a backup taken while signups run is consistent.
 */
export const BACKUP_FORMAT = 'mergington-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** Parents before children. Left out: migrations (the header names the schema), import staging, login throttling. */
export const BACKUP_TABLES = [
  'student',
  'teacher',
  'activity',
  'committee',
  'activity_participant',
  'position',
  'event',
  'event_judge',
  'activity_group',
  'group_member',
  'event_result',
  'news',
  'feedback',
  'payment',
  'session',
] as const;

export interface BackupSummary {
  schemaVersion: string;
  tables: Record<string, { rows: number; sha256: string }>;
}

const BATCH = 20_000;

export async function backupDatabase(url: string, file: string): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const schemaVersion = await lastMigration(client);
    const summary: BackupSummary = { schemaVersion, tables: {} };
    async function* lines() {
      yield (
        JSON.stringify({
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          schemaVersion,
          createdAt: new Date().toISOString(),
        }) + '\n'
      );
      for (const table of BACKUP_TABLES) {
        yield JSON.stringify({ table }) + '\n';
        const hash = createHash('sha256');
        let rows = 0;
        for await (const chunk of tableChunks(client, table)) {
          hash.update(chunk.text);
          rows += chunk.rows;
          yield chunk.text;
        }
        const sha256 = hash.digest('hex');
        summary.tables[table] = { rows, sha256 };
        yield JSON.stringify({ end: table, rows, sha256 }) + '\n';
      }
    }
    await pipeline(Readable.from(lines()), createGzip({ level: 1 }), createWriteStream(file));
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

/** A backup file that cannot be restored, or a database it must not be restored into: one clear line. */
export class BackupError extends Error {
  override name = 'BackupError';
}

interface Header {
  format: string;
  formatVersion: number;
  schemaVersion: string;
}

/**
 * Restores a backup in one transaction: into an empty database, or with `force` replacing what is there.
 * The schema is first migrated to the backup's version. Counts and checksums are verified before the
 * commit; any mismatch or error leaves the database as it was.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  { force = false } = {},
): Promise<BackupSummary> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  const first = await lines.next();
  const header = (first.done ? null : safeJson(first.value)) as Header | null;
  if (!header || header.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Mergington backup`);
  if (header.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `${file} is backup format ${header.formatVersion}; this version reads ${BACKUP_FORMAT_VERSION}`,
    );
  }
  await migrateTo(url, header.schemaVersion);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    // Old data may hold more enrolled than seats; the rows are restored as they were.
    await client.query(`set local mergington.allow_overbooking = on`);
    await client.query(`set local mergington.defer_seat_counts = on`);
    await client.query(`set local statement_timeout = 0`);
    const { rows: counts } = await client.query<{ total: string }>(
      `select (${BACKUP_TABLES.map((table) => `(select count(*) from "${table}")`).join(' + ')}) as total`,
    );
    if (Number(counts[0]!.total) > 0) {
      if (!force)
        throw new BackupError(
          'the database is not empty: restore refuses to mix data (pass --force to replace it)',
        );
      await client.query(
        `truncate ${BACKUP_TABLES.map((table) => `"${table}"`).join(', ')} restart identity cascade`,
      );
    }
    const expected: BackupSummary = { schemaVersion: header.schemaVersion, tables: {} };
    let table: string | undefined;
    let batch: string[] = [];
    const flush = async () => {
      if (!table || batch.length === 0) return;
      await client.query(
        `insert into "${table}" select * from jsonb_populate_recordset(null::"${table}", $1::jsonb)`,
        [`[${batch.join(',')}]`],
      );
      // The seat counters are rebuilt by the signup trigger as the signups go back in.
      if (table === 'activity')
        await client.query(`update activity set enrolled_count = 0, waitlist_count = 0`);
      batch = [];
    };
    for await (const line of { [Symbol.asyncIterator]: () => lines }) {
      if (line.startsWith('{"table":')) {
        table = (JSON.parse(line) as { table: string }).table;
        if (!(BACKUP_TABLES as readonly string[]).includes(table))
          throw new BackupError(`unknown table ${table} in ${file}`);
      } else if (line.startsWith('{"end":')) {
        await flush();
        const end = JSON.parse(line) as { end: string; rows: number; sha256: string };
        expected.tables[end.end] = { rows: end.rows, sha256: end.sha256 };
        table = undefined;
      } else if (table) {
        batch.push(line);
        if (batch.length >= BATCH) await flush();
      } else if (line.trim()) {
        throw new BackupError(`unexpected line outside a table in ${file}`);
      }
    }
    for (const name of BACKUP_TABLES) {
      if (!expected.tables[name]) throw new BackupError(`${file} is cut short: table ${name} is missing`);
      await client.query(
        `select setval(pg_get_serial_sequence('"${name}"', 'id'), coalesce(max(id), 0) + 1, false) from "${name}"`,
      );
    }
    // The counters were restored as they were; recounting proves them (the checksums compare them).
    await client.query(RECOUNT_SEATS);
    const actual = await checksums(client);
    for (const name of BACKUP_TABLES) {
      const want = expected.tables[name]!;
      const got = actual.tables[name]!;
      if (want.rows !== got.rows || want.sha256 !== got.sha256) {
        throw new BackupError(
          `table ${name} does not match the backup (${got.rows} rows restored, ${want.rows} expected, or a checksum differs)`,
        );
      }
    }
    await client.query('commit');
    return actual;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** A table's rows as backup lines (jsonb text, primary-key order), a batch at a time through a cursor. */
async function* tableChunks(
  client: pg.Client,
  table: string,
): AsyncGenerator<{ text: string; rows: number }> {
  await client.query(
    `declare rows_${table} no scroll cursor for select to_jsonb(t)::text as row from "${table}" t order by id`,
  );
  try {
    for (;;) {
      const { rows } = await client.query<{ row: string }>(`fetch ${BATCH} from rows_${table}`);
      if (rows.length === 0) return;
      yield { text: rows.map(({ row }) => `${row}\n`).join(''), rows: rows.length };
    }
  } finally {
    await client.query(`close rows_${table}`);
  }
}

/** Row counts and checksums as the backup computes them, of the database as the client sees it. */
async function checksums(client: pg.Client): Promise<BackupSummary> {
  const summary: BackupSummary = { schemaVersion: await lastMigration(client), tables: {} };
  for (const table of BACKUP_TABLES) {
    const hash = createHash('sha256');
    let rows = 0;
    for await (const chunk of tableChunks(client, table)) {
      hash.update(chunk.text);
      rows += chunk.rows;
    }
    summary.tables[table] = { rows, sha256: hash.digest('hex') };
  }
  return summary;
}

async function migrateTo(url: string, version: string): Promise<void> {
  const orm = await initORM({ url });
  try {
    const executed = (await orm.migrator.getExecutedMigrations()).map((migration) => migration.name);
    if (executed.includes(version)) {
      if (executed.at(-1) !== version) {
        throw new BackupError(
          `the database is at ${executed.at(-1)}, newer than the backup's ${version}: restore into a database at that version`,
        );
      }
      return;
    }
    const known = (await orm.migrator.getPendingMigrations()).map((migration) => migration.name);
    if (!known.includes(version))
      throw new BackupError(`the backup's schema ${version} is unknown to this version of the app`);
    await orm.migrator.up({ to: version });
  } finally {
    await orm.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
