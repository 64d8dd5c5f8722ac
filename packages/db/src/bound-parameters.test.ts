import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SIGNUP_STATEMENT } from './modules/activities/signups.ts';
import { initORM } from './orm.ts';
import { useTestDatabase } from '../test/test-database.ts';
import { findSessionUser, hashToken, logIn, registerStudent } from './modules/accounts/accounts.ts';
import { Activity, Student } from './entities/index.ts';
import { legacySha256Hash } from '@mergington/contract';

const { orm, url } = await useTestDatabase();

/**
 * Every statement pg hands to PostgreSQL, as PostgreSQL parses (and logs) it, and the values sent beside it.
 * pg.Client#query is where knex's pg dialect hands over `{ text, values }`.
 */
const sent: { text: string; values: unknown[] }[] = [];
const pgQuery = pg.Client.prototype.query;
vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
  const [config, values] = args as [string | pg.QueryConfig, unknown[] | undefined];
  sent.push(
    typeof config === 'string'
      ? { text: config, values: values ?? [] }
      : { text: config.text, values: config.values ?? [] },
  );
  return Reflect.apply(pgQuery, this, args) as never;
});
afterAll(() => vi.restoreAllMocks());
beforeEach(() => {
  sent.length = 0;
});

const unique = () => randomBytes(6).toString('hex');

/** Fails when the value shows in the text of any statement sent, or was not sent as a value at all. */
function expectBoundNeverInlined(value: string) {
  expect(sent.length).toBeGreaterThan(0);
  for (const { text } of sent) expect(text).not.toContain(value);
  expect(sent.some((statement) => statement.values.includes(value))).toBe(true);
}

async function registered() {
  const email = `bound-${unique()}@mergington.edu`;
  const password = `pw-${unique()}`;
  await registerStudent(orm.em.fork(), { email, name: 'Bound Student', grade: 10, password });
  return { email, password };
}

describe('values travel as bind parameters, never in the SQL text', () => {
  it('a signup sends the email and the password hash as values', async () => {
    const { email } = await registered();
    const { passwordHash } = await orm.em.fork().findOneOrFail(Student, { email });
    expectBoundNeverInlined(email);
    expectBoundNeverInlined(passwordHash!);
  });

  it('a login sends the account name and the session token hash as values', async () => {
    const { email, password } = await registered();
    sent.length = 0;
    const { token } = await logIn(orm.em.fork(), { as: 'student', login: email, password }, '192.0.2.1');
    expectBoundNeverInlined(email);
    expectBoundNeverInlined(hashToken(token));
  });

  it('a login that replaces an old hash sends the new hash as a value', async () => {
    const { email, password } = await registered();
    const oldHash = legacySha256Hash(createHash('sha256').update(password).digest('hex'));
    await orm.em.fork().nativeUpdate(Student, { email }, { passwordHash: oldHash });
    sent.length = 0;
    await logIn(orm.em.fork(), { as: 'student', login: email, password }, '192.0.2.1');
    const { passwordHash } = await orm.em.fork().findOneOrFail(Student, { email });
    expect(passwordHash).toMatch(/^\$argon2id\$/);
    expectBoundNeverInlined(passwordHash!);
  });

  it('a session lookup sends the token hash as a value', async () => {
    const { email, password } = await registered();
    const { token } = await logIn(orm.em.fork(), { as: 'student', login: email, password }, '192.0.2.1');
    sent.length = 0;
    expect(await findSessionUser(orm.em.fork(), token)).toMatchObject({ kind: 'student', email });
    expectBoundNeverInlined(hashToken(token));
  });

  it('a flush sends string, array and number fields as values and reads them back unchanged', async () => {
    const name = `Bound ${unique()}`;
    const description = `it's a "quoted" \\ back-slashed ? question`;
    const em = orm.em.fork();
    em.create(Activity, {
      name,
      description,
      scheduleDays: ['monday', 'friday'],
      startTime: '15:30:00',
      endTime: '16:30:00',
      allowedGrades: [9, 10],
      maxParticipants: 12,
    });
    await em.flush();
    expectBoundNeverInlined(name);
    expectBoundNeverInlined(description);
    const read = await orm.em.fork().findOneOrFail(Activity, { name });
    expect(read).toMatchObject({
      description,
      scheduleDays: ['monday', 'friday'],
      startTime: '15:30:00',
      allowedGrades: [9, 10],
      maxParticipants: 12,
    });
  });

  it('a failed insert (unique violation) shows no value to pg, nor in its error message', async () => {
    const { email } = await registered();
    const em = orm.em.fork();
    const marker = `hash-${unique()}`;
    em.create(Student, { email, name: 'Twin', passwordHash: marker });
    const failure = await em.flush().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UniqueConstraintViolationException);
    // (PostgreSQL's own detail still names the duplicate key, the email: that is the error, not the statement.)
    expect((failure as Error).message).toContain('values ($1, $2, $3');
    expect((failure as Error).message).not.toContain(marker);
    expectBoundNeverInlined(marker);
  });

  it('our own execute() binds values, expands lists for in (...) and keeps an escaped \\? literal', async () => {
    const { email } = await registered();
    sent.length = 0;
    const rows = await orm.em
      .fork()
      .execute<{ email: string; has_key: boolean }[]>(
        `select email, '{"k": 1}'::jsonb \\? 'k' as has_key from student where email in (?) and grade = ?`,
        [[email, 'nobody@mergington.edu'], 10],
      );
    expect(rows).toEqual([{ email, has_key: true }]);
    expectBoundNeverInlined(email);
  });
});

describe('what PostgreSQL itself records of a failed statement', () => {
  it('holds $n placeholders, not the password hash', async () => {
    const { email } = await registered();
    const marker = `hash-${unique()}`;
    // Outside a transaction, so that the failed insert stays its connection's last statement.
    await expect(
      orm.em.fork().insert(Student, { email, name: 'Twin', passwordHash: marker }),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    // pg_stat_activity.query is the statement text the server keeps: the one its log prints on an error.
    const observer = new pg.Client({ connectionString: url });
    await observer.connect();
    try {
      const { rows } = await observer.query<{ query: string }>(
        `select query from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and query like 'insert into "student"%'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.query).toMatch(/values \(\$1, \$2, \$3\)/);
      expect(rows[0]!.query).not.toContain(marker);
      expect(rows[0]!.query).not.toContain(email);
    } finally {
      await observer.end();
    }
  });
});

describe('hot statements are prepared once per connection', () => {
  /** The prepared statements of the connection a transaction runs on, after running SIGNUP_STATEMENT twice. */
  async function preparedAfterTwoSignups(db: MikroORM): Promise<{ name: string; statement: string }[]> {
    return db.em.fork().transactional(async (tx) => {
      for (let i = 0; i < 2; i++)
        await tx.execute(SIGNUP_STATEMENT, ['prepared', '127.0.0.1', hashToken(`no such ${unique()}`), 1]);
      return tx.execute<{ name: string; statement: string }[]>(
        `select name, statement from pg_prepared_statements`,
      );
    });
  }

  it('the signup statement, by a name of its own, with its values bound', async () => {
    const prepared = await preparedAfterTwoSignups(orm);
    const signup = prepared.filter((row) => row.name.startsWith('mergington_'));
    expect(signup).toHaveLength(1);
    expect(signup[0]!.statement).toContain('insert into activity_participant');
    expect(signup[0]!.statement).toMatch(/set_config\('mergington.request_id', \$1, true\)/);
  });

  it('none with DB_PREPARED_STATEMENTS=false (PgBouncer in transaction mode before 1.21)', async () => {
    const unprepared = await initORM({ url, preparedStatements: false });
    try {
      expect(await preparedAfterTwoSignups(unprepared)).toEqual([]);
    } finally {
      await unprepared.close();
    }
  });
});
