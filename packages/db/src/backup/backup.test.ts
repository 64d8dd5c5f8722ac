import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, databaseUrl, dropDatabase } from '../../test/databases.ts';
import { databaseFingerprint, useTestDatabase } from '../../test/test-database.ts';
import { BACKUP_TABLES, BackupError } from './format.ts';
import { restoreDatabase } from './reader.ts';
import { backupDatabase } from './writer.ts';
import { seedSampleData } from '../init.ts';
import { initORM } from '../orm.ts';
import { signUp } from '../modules/activities/signups.ts';

const { orm, url } = await useTestDatabase({ poolMax: 20 });
await seedSampleData(orm);
const sql = <T = any>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);
const dir = await mkdtemp(join(tmpdir(), 'mergington-backup-'));
const serverUrl = inject('testServerUrl');

// Something in every table, including an activity with more enrolled than seats (as old data can have).
await sql(`update activity set max_participants = 1 where name = 'Chess Club'`);
await sql(`insert into committee (name) values ('Student Council')`);
await sql(
  `insert into position (committee_id, student_id, position_name, term_start) values (1, 1, 'President', '2026-09-01')`,
);
await sql(
  `insert into event (activity_id, name, date, prizes) values (1, 'Open', now(), '[{"place": 1, "description": "Cup"}]')`,
);
await sql(`insert into event_judge (event_id, name) values (1, 'Dr. Who')`);
await sql(`insert into activity_group (activity_id, name, leader_id) values (1, 'Knights', 1)`);
await sql(`insert into group_member (group_id, activity_id, student_id, role) values (1, 1, 1, 'leader')`);
await sql(`insert into event_result (event_id, place, group_id) values (1, 1, 1)`);
await sql(
  `insert into news (title, content, author_id, pinned) values ('Hello', 'World, "quoted" \\ and ünïcode', 1, true)`,
);
await sql(`insert into feedback (student_id, activity_id, rating, review) values (1, 1, 5, 'Great')`);
await sql(
  `insert into payment (student_id, activity_id, amount_cents, status, payment_date, method) values (1, 1, 2500, 'paid', now(), 'cash')`,
);
await sql(
  `insert into session (token_hash, teacher_id, expires_at) values (?, 1, now() + interval '1 day')`,
  ['a'.repeat(64)],
);

const databases: string[] = [];
afterAll(async () => {
  for (const name of databases) await dropDatabase(serverUrl, name);
});
/** A new database with nothing in it, not even the schema. */
async function emptyDatabase(): Promise<string> {
  const name = `mergington_restore_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  databases.push(name);
  return databaseUrl(serverUrl, name);
}
const dataLines = async (file: string) =>
  gunzipSync(await readFile(file))
    .toString()
    .split('\n')
    .slice(1);

describe('backup and restore', () => {
  it('covers every table but the bookkeeping ones', async () => {
    const tables = (
      await sql<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = 'public'`,
      )
    ).map((row) => row.table_name);
    // Notifications are messages about past changes, whose email jobs live in the queue's schema, which a
    // backup does not carry; a restore that replaces the students empties them (their foreign keys cascade).
    // Calendar feeds likewise: a student whose feed a restore removed makes a new one. Password reset links
    // live an hour and their emails' jobs are in the queue's schema: a restore ends them; ask for another.
    expect(tables.filter((table) => !(BACKUP_TABLES as readonly string[]).includes(table)).sort()).toEqual([
      'calendar_feed',
      'checkin_throttle',
      'import_chunk',
      'login_throttle',
      'mikro_orm_migrations',
      'notification',
      'notification_preference',
      'password_reset',
    ]);
  });

  it('round-trips: backup, restore into an empty database, backup again gives the same data', async () => {
    const first = join(dir, 'first.backup.gz');
    const summary = await backupDatabase(url, first);
    expect(summary.tables.activity_participant!.rows).toBe(24);
    const header = JSON.parse(
      gunzipSync(await readFile(first))
        .toString()
        .split('\n')[0]!,
    );
    expect(header).toMatchObject({
      format: 'mergington-backup',
      formatVersion: 2,
      schemaVersion: summary.schemaVersion,
    });

    const target = await emptyDatabase();
    const restored = await restoreDatabase(target, first);
    expect(restored.tables).toEqual(summary.tables);
    const second = join(dir, 'second.backup.gz');
    await backupDatabase(target, second);
    expect(await dataLines(second)).toEqual(await dataLines(first));

    // Sequences continue after the restored ids.
    const restoredOrm = await initORM({ url: target });
    try {
      const [row] = await restoredOrm.em
        .fork()
        .getConnection()
        .execute(`insert into committee (name) values ('Next') returning id`);
      expect(row!.id).toBe(2);
    } finally {
      await restoredOrm.close();
    }
  });

  it('refuses a database that has data, unless forced, which replaces it in the same transaction', async () => {
    const file = join(dir, 'refuse.backup.gz');
    await backupDatabase(url, file);
    const before = await databaseFingerprint(orm);
    await expect(restoreDatabase(url, file)).rejects.toThrow(/not empty/);
    expect(await databaseFingerprint(orm)).toBe(before);
    await sql(`insert into committee (name) values ('Added after the backup')`);
    await restoreDatabase(url, file, { force: true });
    expect(await databaseFingerprint(orm)).toBe(before);
  });

  it('leaves the database as it was when a backup does not match its checksums, or is cut short', async () => {
    const file = join(dir, 'tampered.backup.gz');
    await backupDatabase(url, file);
    const lines = gunzipSync(await readFile(file))
      .toString()
      .split('\n');
    const index = lines.findIndex((line) => line.includes('\tmichael@mergington.edu\t'));
    lines[index] = lines[index]!.replace('michael@', 'mallory@');
    await writeFile(join(dir, 'bad.backup.gz'), gzipSync(lines.join('\n')));
    const target = await emptyDatabase();
    await expect(restoreDatabase(target, join(dir, 'bad.backup.gz'))).rejects.toThrow(
      /is damaged: checksum of table student: its rows hash to [0-9a-f]{64}, the file says [0-9a-f]{64}$/,
    );
    // The rows intact, the count in the table's end line changed: the row count is what differs.
    const intact = gunzipSync(await readFile(file))
      .toString()
      .split('\n');
    const miscounted = intact.map((line) =>
      line.startsWith('{"end":"student"')
        ? line.replace(/"rows":(\d+)/, (_, n) => `"rows":${Number(n) + 1}`)
        : line,
    );
    await writeFile(join(dir, 'miscounted.backup.gz'), gzipSync(miscounted.join('\n')));
    await expect(restoreDatabase(target, join(dir, 'miscounted.backup.gz'))).rejects.toThrow(
      /is damaged: row count of table student: (\d+) rows restored, the file says (\d+)$/,
    );
    await writeFile(join(dir, 'short.backup.gz'), gzipSync(lines.slice(0, index).join('\n')));
    await expect(restoreDatabase(target, join(dir, 'short.backup.gz'))).rejects.toThrow(BackupError);
    const bytes = await readFile(file);
    await writeFile(join(dir, 'torn.backup.gz'), bytes.subarray(0, bytes.length - 40));
    await expect(restoreDatabase(target, join(dir, 'torn.backup.gz'))).rejects.toThrow(/is damaged/);
    // The migrations ran in the restore's transaction: they were rolled back too.
    const targetOrm = await initORM({ url: target });
    try {
      const [row] = await targetOrm.em
        .fork()
        .getConnection()
        .execute(
          `select to_regclass('student') as student, (select count(*)::int from mikro_orm_migrations) as migrations`,
        );
      expect(row).toEqual({ student: null, migrations: 0 });
    } finally {
      await targetOrm.close();
    }
  });

  it('refuses a file that is not there with one line saying so', async () => {
    const missing = join(dir, 'no-such.backup.gz');
    await expect(restoreDatabase(await emptyDatabase(), missing)).rejects.toThrow(
      new BackupError(`cannot read ${missing}: no such file`),
    );
  });

  it('refuses a version-1 (JSON lines) backup with a message that says so, and a file that is no backup', async () => {
    const old = join(dir, 'old.jsonl.gz');
    await writeFile(
      old,
      gzipSync(
        JSON.stringify({ format: 'mergington-backup', formatVersion: 1, schemaVersion: 'x', createdAt: '' }) +
          '\n',
      ),
    );
    const target = await emptyDatabase();
    await expect(restoreDatabase(target, old)).rejects.toThrow(
      /backup format 1 \(JSON lines\), which this version no longer reads/,
    );
    const junk = join(dir, 'junk.gz');
    await writeFile(junk, 'not gzip at all');
    await expect(restoreDatabase(target, junk)).rejects.toThrow(/is not a Mergington backup/);
  });

  it('is consistent while signups run: the restore’s checks pass (seat counters match the rows)', async () => {
    const [activity] = await sql<{ id: number }>(
      `insert into activity (name, max_participants) values ('Busy', 20) returning id`,
    );
    const students = await sql<{ id: number }>(
      `insert into student (email, name) select 'busy' || n || '@x.edu', 'Busy ' || n from generate_series(1, 150) n returning id`,
    );
    const file = join(dir, 'busy.backup.gz');
    const [, summary] = await Promise.all([
      Promise.all(students.map((s) => signUp(orm.em.fork(), s.id, activity!.id))),
      backupDatabase(url, file),
    ]);
    const target = await emptyDatabase();
    expect((await restoreDatabase(target, file)).tables).toEqual(summary.tables);
  });
});
