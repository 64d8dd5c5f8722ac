import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { asAuditActor, type AuditActor, listAuditLog, pruneAuditLog, rosterHistory } from './audit.ts';

const { orm } = await useTestDatabase();
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

/**
 * Tables that are not the school's: bookkeeping, staging, throttling, sessions and the log itself. Every
 * other table must have the audit trigger: a table added without `select attach_audit('<table>')` in its
 * migration fails here.
 */
// Bookkeeping; attendance_change, attendance's own history, written by a trigger of an audited table;
// notifications, each the consequence of an audited change, and a student's own settings of them; a
// calendar feed and a password reset link, a secret's hash.
const NOT_AUDITED = [
  'attendance_change',
  'audit_log',
  'calendar_feed',
  'checkin_throttle',
  'import_chunk',
  'login_throttle',
  'mikro_orm_migrations',
  'notification',
  'notification_preference',
  'password_reset',
  'session',
];

const rodriguez: AuditActor = {
  kind: 'teacher',
  id: 7,
  name: 'Ms. Rodriguez',
  requestId: 'req-1',
  clientAddress: '10.0.0.9',
};
let n = 0;
const email = () => `audit-${++n}-${randomBytes(3).toString('hex')}@mergington.edu`;
const newestId = async () =>
  (await sql<{ id: number | null }>(`select max(id) as id from audit_log`))[0]!.id ?? 0;
const rowsAfter = (id: number) =>
  sql<Record<string, unknown>>(
    `select actor_kind, actor_id, actor_name, request_id, client_address, table_name, action, before, after,
            activity_id, student_id
       from audit_log where id > ? order by id`,
    [id],
  );
const insertStudent = async (em: EntityManager, address = email()) =>
  (
    await em.execute<{ id: number }[]>(
      `insert into student (email, name, grade, password_hash) values (?, 'Zoë Ünal', 10, 'argon2-secret') returning id`,
      [address],
    )
  )[0]!.id;

describe('the audit trail', () => {
  it('records each insert, update (the changed fields only) and delete with the transaction’s actor', async () => {
    const before = await newestId();
    const id = await asAuditActor(fork(), rodriguez, async (tx) => {
      const id = await insertStudent(tx);
      await tx.execute(
        `update student set name = 'Zoe Unal', updated_at = now() + interval '1 s' where id = ?`,
        [id],
      );
      await tx.execute(`delete from student where id = ?`, [id]);
      return id;
    });
    const rows = await rowsAfter(before);
    const who = {
      actor_kind: 'teacher',
      actor_id: 7,
      actor_name: 'Ms. Rodriguez',
      request_id: 'req-1',
      client_address: '10.0.0.9',
      table_name: 'student',
      student_id: id,
      activity_id: null,
    };
    expect(rows).toEqual([
      { ...who, action: 'insert', before: null, after: expect.objectContaining({ id, name: 'Zoë Ünal' }) },
      { ...who, action: 'update', before: { name: 'Zoë Ünal' }, after: { name: 'Zoe Unal' } },
      { ...who, action: 'delete', before: expect.objectContaining({ id, name: 'Zoe Unal' }), after: null },
    ]);
  });

  it('never records a password hash or a token', async () => {
    const before = await newestId();
    await asAuditActor(fork(), rodriguez, async (tx) => {
      const id = await insertStudent(tx);
      await tx.execute(`update student set password_hash = 'another-secret' where id = ?`, [id]);
    });
    const rows = await rowsAfter(before);
    expect(rows.map((row) => row.action)).toEqual(['insert']); // the hash-only update is not a change to record
    expect(JSON.stringify(rows)).not.toMatch(/secret|password/);
  });

  it('records a write made outside a named transaction as the system’s', async () => {
    const before = await newestId();
    await insertStudent(fork());
    expect((await rowsAfter(before)).map((row) => [row.actor_kind, row.actor_id, row.request_id])).toEqual([
      ['system', null, null],
    ]);
  });

  it('leaves no audit row for a write that rolls back, and no actor in the next transaction', async () => {
    const before = await newestId();
    await expect(
      asAuditActor(fork(), rodriguez, async (tx) => {
        await insertStudent(tx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await rowsAfter(before)).toEqual([]);
    // The settings were transaction-local: a pooled connection does not carry them on.
    await Promise.all(Array.from({ length: 12 }, () => insertStudent(fork())));
    expect(new Set((await rowsAfter(before)).map((row) => row.actor_kind))).toEqual(new Set(['system']));
  });

  it('is attached to every school table (all but the bookkeeping ones)', async () => {
    const tables = await sql<{ table_name: string; audited: boolean }>(
      `select c.relname as table_name,
              exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = 'audit' and t.tgenabled = 'O') as audited
         from pg_class c
        where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
        order by 1`,
    );
    const missing = tables.filter((t) => !t.audited && !NOT_AUDITED.includes(t.table_name));
    expect(missing.map((t) => t.table_name)).toEqual([]);
    expect(tables.filter((t) => t.audited).length).toBeGreaterThanOrEqual(14);
    expect(tables.filter((t) => t.audited && NOT_AUDITED.includes(t.table_name))).toEqual([]);
  });

  it('ties a roster change to its activity and student, and tells the student’s own change from staff’s', async () => {
    const em = fork();
    const [{ id: activityId }] = (await em.execute(
      `insert into activity (name, max_participants) values (?, 1) returning id`,
      [`Audited ${email()}`],
    )) as [{ id: number }];
    const studentId = await insertStudent(fork());
    const self: AuditActor = {
      kind: 'student',
      id: studentId,
      name: 'Zoë Ünal',
      requestId: 'r2',
      clientAddress: null,
    };
    await asAuditActor(fork(), self, (tx) =>
      tx.execute(
        `insert into activity_participant (activity_id, student_id, status) values (?, ?, 'enrolled')`,
        [activityId, studentId],
      ),
    );
    await asAuditActor(fork(), rodriguez, (tx) =>
      tx.execute(`delete from activity_participant where activity_id = ? and student_id = ?`, [
        activityId,
        studentId,
      ]),
    );
    const history = await rosterHistory(fork(), activityId, { page: 1, pageSize: 10 });
    expect(history.items.map((e) => [e.change, e.studentName, e.status, e.actorName, e.bySelf])).toEqual([
      ['removed', 'Zoë Ünal', 'enrolled', 'Ms. Rodriguez', false],
      ['added', 'Zoë Ünal', 'enrolled', 'Zoë Ünal', true],
    ]);
    // The seat counters the signup moved on the activity are not changes of their own.
    const byActivity = await listAuditLog(fork(), { page: 1, pageSize: 20, activityId });
    expect(byActivity.items.map((e) => `${e.tableName} ${e.action}`)).toEqual([
      'activity_participant delete',
      'activity_participant insert',
      'activity insert',
    ]);
    const byPerson = await listAuditLog(fork(), {
      page: 1,
      pageSize: 20,
      person: { kind: 'student', id: studentId },
    });
    expect(byPerson.items.map((e) => `${e.tableName} ${e.action}`)).toEqual([
      'activity_participant delete',
      'activity_participant insert',
      'student insert',
    ]);
  });
});

describe('the audit log is append-only', () => {
  const role = `audit_app_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await sql(`drop owned by ${role}`);
    await sql(`drop role ${role}`);
  });

  async function attempt(statements: string | string[], asRole?: string): Promise<string> {
    const em = fork();
    try {
      await em.transactional(async (tx) => {
        if (asRole) await tx.execute(`set local role ${asRole}`);
        for (const statement of [statements].flat()) await tx.execute(statement);
      });
      return 'done';
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  }

  it('refuses an update, a delete or a truncate, to the application’s role and to a superuser alike', async () => {
    await insertStudent(fork());
    // An application role with every privilege on every table, as one that owned them would have.
    await sql(`create role ${role} nosuperuser`);
    await sql(`grant all on all tables in schema public to ${role}`);
    await sql(`grant all on all sequences in schema public to ${role}`);
    const count = async () => (await sql<{ n: number }>(`select count(*)::int as n from audit_log`))[0]!.n;
    const rows = await count();
    for (const asRole of [role, undefined]) {
      expect(await attempt(`update audit_log set actor_name = 'someone else'`, asRole)).toBe('42501');
      expect(await attempt(`delete from audit_log`, asRole)).toBe('42501');
      expect(await attempt(`truncate audit_log`, asRole)).toBe('42501');
      // Setting the pruning flag by hand does not let a recent row go either.
      expect(
        await attempt(
          [`select set_config('mergington.audit_pruning', 'on', true)`, `delete from audit_log`],
          asRole,
        ),
      ).toBe('42501');
    }
    expect(await count()).toBe(rows);
    // It can still write: the role's own changes are recorded.
    expect(
      await attempt(`insert into student (email, name) values ('${email()}', 'By the role')`, role),
    ).toBe('done');
    expect(await count()).toBe(rows + 1);
  });

  it('prunes rows past the retention, never one younger than 30 days', async () => {
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    const [{ id: old }] = (await fork().execute(
      `insert into audit_log (at, actor_kind, table_name, action) values (?, 'system', 'student', 'insert') returning id`,
      [at(400)],
    )) as [{ id: number }];
    const [{ id: middle }] = (await fork().execute(
      `insert into audit_log (at, actor_kind, table_name, action) values (?, 'system', 'student', 'insert') returning id`,
      [at(100)],
    )) as [{ id: number }];
    const [{ id: recent }] = (await fork().execute(
      `insert into audit_log (at, actor_kind, table_name, action) values (?, 'system', 'student', 'insert') returning id`,
      [at(20)],
    )) as [{ id: number }];
    const left = async () =>
      (
        await sql<{ id: number }>(`select id from audit_log where id in (?) order by id`, [
          [old, middle, recent],
        ])
      ).map((row) => row.id);
    expect(await pruneAuditLog(fork(), 365)).toBe(1);
    expect(await left()).toEqual([middle, recent]);
    // A retention under the floor is the floor: 20 days old stays.
    expect(await pruneAuditLog(fork(), 1)).toBe(1);
    expect(await left()).toEqual([recent]);
  });

  it('lets one process prune at a time', async () => {
    const holder = fork();
    await holder.begin();
    await holder
      .getConnection()
      .execute(
        `select pg_advisory_xact_lock(hashtext('mergington.prune_audit_log'))`,
        [],
        'all',
        holder.getTransactionContext(),
      );
    expect(await pruneAuditLog(fork(), 365)).toBeNull();
    await holder.rollback();
    expect(await pruneAuditLog(fork(), 365)).toBe(0);
  });
});
