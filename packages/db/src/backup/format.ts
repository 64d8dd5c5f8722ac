// The backup file's format and what the writer and the reader share: the tables, the COPY settings, the errors.
import type pg from 'pg';

/**
 * The backup format, version 2: a gzip-compressed stream of
 *   1. a header line: {"format":"mergington-backup","formatVersion":2,"schemaVersion":<last migration>,"createdAt":...}
 *   2. per table, in the order restore needs:
 *      a line {"table":<name>,"columns":[<column names>]},
 *      the table's rows in PostgreSQL's COPY text format (one row a line, tab-separated, \N for null),
 *      in primary-key order, read with UTC time zone and ISO dates,
 *      the line \. (COPY's end-of-data marker; no row can start with it),
 *      a line {"end":<name>,"rows":<count>,"sha256":<of the row lines>}.
 * Every table is read in one REPEATABLE READ transaction: a backup taken while signups run is consistent.
 * Version 1 (JSON lines, one jsonb object a row) is refused with a message saying so.
 */
export const BACKUP_FORMAT = 'mergington-backup';
export const BACKUP_FORMAT_VERSION = 2;

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
  'school_closure',
  'meeting',
  'attendance',
  'attendance_change',
] as const;

export interface BackupSummary {
  schemaVersion: string;
  tables: Record<string, { rows: number; sha256: string }>;
}

export interface RestoreSummary extends BackupSummary {
  /** The migrations the restore applied (in its transaction) to reach the backup's schema. */
  appliedMigrations: string[];
}

/**
 * Session settings that make COPY's text the same on every server and for every client: dates, times and
 * numbers are written (and read back) one way only.
 */
const COPY_SETTINGS = [
  `set local timezone = 'UTC'`,
  `set local datestyle = 'ISO, YMD'`,
  `set local intervalstyle = 'postgres'`,
  `set local extra_float_digits = 1`,
  `set local bytea_output = 'hex'`,
];

/** Applies COPY_SETTINGS to the client's transaction, in one round trip (a simple query of several statements). */
export async function useCopySettings(client: pg.Client): Promise<void> {
  await client.query(COPY_SETTINGS.join('; '));
}

export const END_OF_DATA = '\\.\n';

/** Each backed-up table's columns, in their order in the table. */
export async function tableColumns(client: pg.Client): Promise<Record<string, string[]>> {
  const { rows } = await client.query<{ table_name: string; columns: string[] }>(
    `select table_name, array_agg(column_name::text order by ordinal_position) as columns
       from information_schema.columns
      where table_schema = current_schema() and table_name = any($1)
      group by table_name`,
    [BACKUP_TABLES],
  );
  return Object.fromEntries(rows.map((row) => [row.table_name, row.columns]));
}

export const columnList = (columns: string[]) => columns.map((column) => `"${column}"`).join(', ');

/** A backup file that cannot be restored, or a database it must not be restored into: one clear line. */
export class BackupError extends Error {
  override name = 'BackupError';
}
