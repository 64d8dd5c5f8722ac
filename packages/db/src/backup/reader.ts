// pnpm db:restore and backup.restore: a backup file read back (format.ts), in one transaction.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RECOUNT_SEATS } from '../modules/activities/seats.ts';
import { dropConstraintsAndIndexes } from './constraints.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BACKUP_TABLES,
  BackupError,
  type BackupSummary,
  columnList,
  type RestoreSummary,
  tableColumns,
  useCopySettings,
} from './format.ts';

interface Header {
  format: string;
  formatVersion: number;
  schemaVersion: string;
}

type Piece = { line: string } | { data: Buffer } | { endOfData: true };

/**
 * Splits the decompressed file into its JSON lines and, after each {"table"} line, the table's COPY data
 * (in large slices of whole rows, never row by row) up to the \. marker.
 */
async function* pieces(input: AsyncIterable<Buffer>): AsyncGenerator<Piece> {
  let buffer: Buffer = Buffer.alloc(0);
  let inData = false;
  for await (const chunk of input) {
    buffer = buffer.length > 0 ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (!inData) {
        const newline = buffer.indexOf(10);
        if (newline < 0) break;
        const line = buffer.toString('utf8', 0, newline);
        buffer = buffer.subarray(newline + 1);
        yield { line };
        inData = line.startsWith('{"table":');
        continue;
      }
      // At the start of a row: is it the end-of-data marker?
      if (buffer.length < 3) break;
      if (buffer[0] === 0x5c && buffer[1] === 0x2e && buffer[2] === 0x0a) {
        buffer = buffer.subarray(3);
        inData = false;
        yield { endOfData: true };
        continue;
      }
      const marker = buffer.indexOf('\n\\.\n');
      const end = marker >= 0 ? marker + 1 : buffer.lastIndexOf(10) + 1;
      if (end === 0) break;
      yield { data: buffer.subarray(0, end) };
      buffer = buffer.subarray(end);
    }
  }
  if (buffer.length > 0 || inData) yield { line: buffer.toString('utf8') };
}

/** The pieces, with a file that cannot be read or decompressed reported as a damaged backup. */
function readable(file: string, source: AsyncGenerator<Piece>): AsyncGenerator<Piece> {
  return (async function* () {
    try {
      yield* source;
    } catch (error) {
      throw new BackupError(`${file} is damaged: ${(error as Error).message}`);
    }
  })();
}

/**
 * Restores a backup in one transaction: into an empty database, or with `force` replacing what is there.
 * In that same transaction the schema is first migrated to the backup's version, then, as pg_restore
 * does, the foreign keys, unique and exclusion constraints and secondary indexes are dropped, every
 * table is loaded with COPY, and they are re-created (which checks every row against them). Each
 * table's row count (as COPY reports it) and checksum (of the file's rows, computed as they stream in)
 * must match the backup's, and the seat counters must match the signups; any mismatch, error or a killed
 * process leaves the database as it was.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  { force = false } = {},
): Promise<RestoreSummary> {
  const source = await open(file).catch((error: NodeJS.ErrnoException) => {
    throw new BackupError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const gunzip = createGunzip();
  // pipeline() hands a read error to the gunzip stream, where the reader below sees it.
  pipeline(source.createReadStream(), gunzip).catch(() => {});
  const input = readable(file, pieces(gunzip));
  const first = await input.next().catch(() => ({ done: true as const, value: undefined }));
  const header = (
    first.done || !('line' in first.value) ? null : safeJson(first.value.line)
  ) as Header | null;
  if (!header || header.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Mergington backup`);
  if (header.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      header.formatVersion === 1
        ? `${file} is backup format 1 (JSON lines), which this version no longer reads: restore it with an older version of the app, then back up again`
        : `${file} is backup format ${header.formatVersion}; this version reads ${BACKUP_FORMAT_VERSION}`,
    );
  }

  // Loaded here, not at the top: `db:backup` needs none of the ORM, whose loading is most of its start-up.
  const [{ initORM }, { migrationOptions }] = await Promise.all([
    import('../orm.ts'),
    import('../config.ts'),
  ]);
  // One connection for the transaction; the migrator reads its bookkeeping table on a second one. The
  // migrator is silent: what it applies is reported after the commit, as a refusal rolls it back.
  const orm = await initORM(
    { url, poolMax: 2, statementTimeoutMs: 0 },
    { migrations: { ...migrationOptions, silent: true } },
  );
  try {
    const pending = await migrationsUpTo(orm, header.schemaVersion);
    return await orm.em.fork().transactional(async (em) => {
      const trx = em.getTransactionContext<Knex.Transaction>()!;
      const applied = pending ? await orm.migrator.up({ to: header.schemaVersion, transaction: trx }) : [];
      // The transaction's own connection: COPY needs the driver's client itself.
      const client = (await trx.client.acquireConnection()) as pg.Client;
      const summary = await load(client, input, header, file, force);
      return { ...summary, appliedMigrations: applied.map((migration) => migration.name) };
    });
  } finally {
    await orm.close();
    await input.return(undefined);
  }
}

async function load(
  client: pg.Client,
  input: AsyncIterator<Piece>,
  header: Header,
  file: string,
  force: boolean,
): Promise<BackupSummary> {
  await useCopySettings(client);
  // Old data may hold more enrolled than seats; the rows are restored as they were.
  await client.query(`set local mergington.allow_overbooking = on`);
  await client.query(`set local mergington.defer_seat_counts = on`);
  await client.query(`set local statement_timeout = 0`);
  await client.query(`set local maintenance_work_mem = '256MB'`);
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
  const rebuild = await dropConstraintsAndIndexes(client);
  // The seat counters' trigger is replaced by one recount below.
  await client.query(`alter table activity_participant disable trigger activity_participant_counts`);
  // Attendance comes back as it was: with its history as recorded (not a second copy written by the trigger)
  // and with the records of students who have since withdrawn.
  await client.query(`alter table attendance disable trigger attendance_record_change`);
  await client.query(`alter table attendance disable trigger attendance_student_enrolled`);

  const columns = await tableColumns(client);
  const expected: BackupSummary = { schemaVersion: header.schemaVersion, tables: {} };
  const loaded: Record<string, { rows: number; sha256: string }> = {};
  for (;;) {
    const next = await input.next();
    if (next.done) break;
    const piece = next.value;
    if (!('line' in piece)) throw new BackupError(`${file} is damaged: data outside a table`);
    if (!piece.line.trim()) continue;
    const line = safeJson(piece.line) as {
      table?: string;
      columns?: string[];
      end?: string;
      rows?: number;
      sha256?: string;
    } | null;
    if (line?.end !== undefined) {
      expected.tables[line.end] = { rows: line.rows!, sha256: line.sha256! };
      continue;
    }
    const table = line?.table;
    if (!table) throw new BackupError(`${file} is damaged: unexpected line outside a table`);
    if (!(BACKUP_TABLES as readonly string[]).includes(table))
      throw new BackupError(`unknown table ${table} in ${file}`);
    if (!line.columns || line.columns.join() !== columns[table]!.join())
      throw new BackupError(
        `table ${table} in ${file} has other columns than the schema ${header.schemaVersion}`,
      );
    loaded[table] = await copyTable(client, table, line.columns, input, file);
  }
  for (const name of BACKUP_TABLES) {
    if (!expected.tables[name]) throw new BackupError(`${file} is cut short: table ${name} is missing`);
    const want = expected.tables[name]!;
    const got = loaded[name] ?? { rows: 0, sha256: '' };
    if (want.rows !== got.rows) {
      throw new BackupError(
        `${file} is damaged: row count of table ${name}: ${got.rows} rows restored, the file says ${want.rows}`,
      );
    }
    if (want.sha256 !== got.sha256) {
      throw new BackupError(
        `${file} is damaged: checksum of table ${name}: its rows hash to ${got.sha256}, the file says ${want.sha256}`,
      );
    }
    await client.query(
      `select setval(pg_get_serial_sequence('"${name}"', 'id'), coalesce(max(id), 0) + 1, false) from "${name}"`,
    );
  }
  await client.query(`alter table activity_participant enable trigger activity_participant_counts`);
  await client.query(`alter table attendance enable trigger attendance_record_change`);
  await client.query(`alter table attendance enable trigger attendance_student_enrolled`);
  for (const statement of rebuild) await client.query(statement);
  // The counters were restored as they were backed up: recounting them from the signups changes nothing.
  const recount = await client.query(RECOUNT_SEATS);
  if (recount.rowCount)
    throw new BackupError(
      `${recount.rowCount} activities' seat counters do not match their signups in ${file}`,
    );
  return expected;
}

/** COPYs one table's data from the file into the table, hashing it on the way. */
async function copyTable(
  client: pg.Client,
  table: string,
  columns: string[],
  input: AsyncIterator<Piece>,
  file: string,
): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  const stream = client.query(copyFrom(`copy "${table}" (${columnList(columns)}) from stdin`));
  const done = finished(stream);
  done.catch(() => {});
  for (;;) {
    const next = await input.next();
    if (next.done || 'line' in next.value) {
      stream.destroy(new BackupError(`${file} is cut short in table ${table}`));
      await done.catch(() => {});
      throw new BackupError(`${file} is cut short in table ${table}`);
    }
    if ('endOfData' in next.value) break;
    hash.update(next.value.data);
    if (!stream.write(next.value.data)) await once(stream, 'drain');
  }
  stream.end();
  await done;
  return { rows: stream.rowCount, sha256: hash.digest('hex') };
}

/** Whether migrations must run to reach the backup's schema; refuses a database already past it. */
async function migrationsUpTo(orm: MikroORM, version: string): Promise<boolean> {
  const executed = (await orm.migrator.getExecutedMigrations()).map((migration) => migration.name);
  if (executed.includes(version)) {
    if (executed.at(-1) !== version) {
      throw new BackupError(
        `the database is at ${executed.at(-1)}, newer than the backup's ${version}: restore into a database at that version`,
      );
    }
    return false;
  }
  const known = (await orm.migrator.getPendingMigrations()).map((migration) => migration.name);
  if (!known.includes(version))
    throw new BackupError(`the backup's schema ${version} is unknown to this version of the app`);
  return true;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
