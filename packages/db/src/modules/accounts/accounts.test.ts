import argon2 from 'argon2';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { changePassword, createSession, findSessionUser, logIn } from './accounts.ts';
import { Student, Teacher } from '../../entities/index.ts';
import { LOGIN_THROTTLE } from './login-throttle.ts';
import { hashPassword } from './passwords.ts';
import { addNewStudent } from '../activities/signups.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

const PASSWORD = 'the right one';
const hash = await hashPassword(PASSWORD);
let unique = 0;

async function student(): Promise<string> {
  const email = `s${++unique}@mergington.edu`;
  const em = fork();
  em.create(Student, { email, name: 'S', grade: 10, passwordHash: hash });
  await em.flush();
  return email;
}

async function teacher(): Promise<{ username: string; email: string }> {
  const username = `t${++unique}`;
  const em = fork();
  em.create(Teacher, {
    username,
    email: `${username}@mergington.edu`,
    name: 'T',
    role: 'admin',
    passwordHash: hash,
  });
  await em.flush();
  return { username, email: `${username}@mergington.edu` };
}

/** The outcome of a login: 'ok', or the error's class name. */
const attempt = (
  login: string,
  password: string,
  address = '10.0.0.1',
  as: 'student' | 'teacher' = 'student',
) =>
  logIn(fork(), { as, login, password }, address).then(
    () => 'ok',
    (error: Error) => error.name,
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the login throttle counts an attempt before the password is checked', () => {
  it('lets 5 of 100 parallel wrong passwords be checked, and refuses the other 95 unchecked', async () => {
    const email = await student();
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, n) => attempt(email, `guess ${n}`)));
    expect(outcomes.filter((outcome) => outcome === 'InvalidCredentialsError')).toHaveLength(
      LOGIN_THROTTLE.accountFromAddress.freeAttempts,
    );
    expect(outcomes.filter((outcome) => outcome === 'TooManyAttemptsError')).toHaveLength(95);
    expect(await attempt(email, PASSWORD)).toBe('TooManyAttemptsError');
  });

  it('keeps a lock in force when a login that started before it succeeds', async () => {
    const email = await student();
    for (let n = 0; n < 3; n++)
      expect(await attempt(email, `guess ${n}`, '10.0.1.1')).toBe('InvalidCredentialsError');
    // The right password's check is held until a wrong one has used up the last free attempt.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const verify = argon2.verify.bind(argon2);
    vi.spyOn(argon2, 'verify').mockImplementation(async (digest, password, ...rest) => {
      if (password === PASSWORD) await held;
      return verify(digest, password, ...rest);
    });
    const right = attempt(email, PASSWORD, '10.0.1.1');
    await vi.waitFor(async () => {
      const [row] = await sql<{ failures: number }>(`select failures from login_throttle where key like ?`, [
        `pair:10.0.1.1 student#%`,
      ]);
      expect(row?.failures).toBe(4);
    });
    expect(await attempt(email, 'guess 4', '10.0.1.1')).toBe('InvalidCredentialsError');
    release();
    expect(await right).toBe('ok');
    expect(await attempt(email, PASSWORD, '10.0.1.1')).toBe('TooManyAttemptsError');
  });

  it('locks one account from one address for a minute, doubling with every later failure', async () => {
    const email = await student();
    for (let n = 0; n < 5; n++) await attempt(email, `guess ${n}`, '10.0.1.2');
    const lockedFor = async () =>
      (
        await sql<{ seconds: number }>(
          `select round(extract(epoch from locked_until - now()))::int as seconds from login_throttle where key like 'pair:10.0.1.2 student#%' and locked_until > now()`,
        )
      ).map((row) => row.seconds);
    expect(await lockedFor()).toEqual([expect.closeTo(60, 0)]);
    await sql(`update login_throttle set locked_until = now() where key like 'pair:10.0.1.2 student#%'`);
    expect(await attempt(email, 'guess 5', '10.0.1.2')).toBe('InvalidCredentialsError');
    expect(await lockedFor()).toEqual([expect.closeTo(120, 0)]);
  });
});

describe('the throttle cannot shut the owner out', () => {
  it('leaves the owner’s own address, and every other address, alone when one address guesses', async () => {
    const email = await student();
    for (let n = 0; n < 10; n++) await attempt(email, `guess ${n}`, '203.0.113.9');
    expect(await attempt(email, PASSWORD, '203.0.113.9')).toBe('TooManyAttemptsError');
    expect(await attempt(email, PASSWORD, '198.51.100.1')).toBe('ok');
  });

  it('refuses new addresses once many addresses have guessed, but lets in one that signed in before', async () => {
    const email = await student();
    expect(await attempt(email, PASSWORD, '198.51.100.1')).toBe('ok'); // the owner's usual address
    const guesses = LOGIN_THROTTLE.account.freeAttempts;
    await Promise.all(
      Array.from({ length: guesses }, (_, n) => attempt(email, `guess ${n}`, `192.0.2.${n % 200}`)),
    );
    expect(await attempt(email, PASSWORD, '203.0.113.50')).toBe('TooManyAttemptsError');
    expect(await attempt(email, PASSWORD, '198.51.100.1')).toBe('ok');
  });

  it('limits one address across accounts (spraying one password over many names)', async () => {
    for (let n = 0; n < LOGIN_THROTTLE.address.freeAttempts; n++) {
      expect(await attempt(`nobody${n}@mergington.edu`, 'Summer2024!', '192.0.2.250')).toBe(
        'InvalidCredentialsError',
      );
    }
    const email = await student();
    expect(await attempt(email, PASSWORD, '192.0.2.250')).toBe('TooManyAttemptsError');
    expect(await attempt(email, PASSWORD, '192.0.2.251')).toBe('ok');
  });

  it('counts a teacher’s email and username as one account', async () => {
    const { username, email } = await teacher();
    for (let n = 0; n < 5; n++) {
      expect(await attempt(n % 2 ? username : email, `guess ${n}`, '10.0.0.2', 'teacher')).toBe(
        'InvalidCredentialsError',
      );
    }
    expect(await attempt(username, PASSWORD, '10.0.0.2', 'teacher')).toBe('TooManyAttemptsError');
    expect(await attempt(email, PASSWORD, '10.0.0.2', 'teacher')).toBe('TooManyAttemptsError');
  });

  it('treats a name no account has exactly as an account (no enumeration through the throttle)', async () => {
    const email = await student();
    const sequence = async (login: string) => {
      const outcomes = [];
      for (let n = 0; n < 7; n++) outcomes.push(await attempt(login, `guess ${n}`, '10.0.0.3'));
      return outcomes;
    };
    expect(await sequence('missing@mergington.edu')).toEqual(await sequence(email));
  });
});

describe('logins and password changes are one transaction each', () => {
  async function failingSessionWrites(operation: 'insert' | 'delete') {
    await sql(`create or replace function refuse_session_write() returns trigger language plpgsql as $$
      begin raise exception 'session writes refused by the test'; end $$`);
    await sql(`create trigger refuse_session_write before ${operation} on session
      for each statement execute function refuse_session_write()`);
    onTestFinished(() => sql(`drop trigger refuse_session_write on session`).then(() => undefined));
  }

  it('a login that fails at its last write changes nothing: no rehash, its attempt still counted', async () => {
    const { username } = await teacher();
    const old =
      '$argon2id$v=19$m=65536,t=3,p=4$g4CQ9mYOExUxmE4g2dzdLQ$nBf26P+nH8K6dFpVHK38o6e8wTcdcnwfhJkG82AEMNI';
    await sql(`update teacher set password_hash = ? where username = ?`, [old, username]);
    expect(await attempt(username, 'wrong', '10.0.0.4', 'teacher')).toBe('InvalidCredentialsError');
    await failingSessionWrites('insert');
    await expect(
      logIn(fork(), { as: 'teacher', login: username, password: 'admin789' }, '10.0.0.4'),
    ).rejects.toThrow(/session writes refused/);
    const [row] = await sql<{ password_hash: string }>(
      `select password_hash from teacher where username = ?`,
      [username],
    );
    expect(row!.password_hash).toBe(old);
    const counters = await sql<{ failures: number }>(
      `select failures from login_throttle where key like 'pair:10.0.0.4 %'`,
    );
    expect(counters).toEqual([{ failures: 2 }]);
  });

  it('a login with an old argon2 hash (m=64 MiB) stores it again at our parameters', async () => {
    const { username } = await teacher();
    const old =
      '$argon2id$v=19$m=65536,t=3,p=4$g4CQ9mYOExUxmE4g2dzdLQ$nBf26P+nH8K6dFpVHK38o6e8wTcdcnwfhJkG82AEMNI';
    await sql(`update teacher set password_hash = ? where username = ?`, [old, username]);
    expect(await attempt(username, 'admin789', '10.0.0.5', 'teacher')).toBe('ok');
    const [row] = await sql<{ password_hash: string }>(
      `select password_hash from teacher where username = ?`,
      [username],
    );
    const costs = (stored: string) =>
      ['m', 't', 'p'].map((name) => new RegExp(`[$,]${name}=(\\d+)`).exec(stored)?.[1]);
    expect(costs(row!.password_hash)).toEqual(costs(await hashPassword('x')));
  });

  it('a password change that cannot end the other sessions keeps the old password', async () => {
    const email = await student();
    const em = fork();
    const account = await em.findOneOrFail(Student, { email });
    const user = {
      kind: 'student' as const,
      id: account.id,
      email,
      name: 'S',
      grade: 10,
      mustChangePassword: false,
    };
    const { token: other } = await createSession(fork(), user);
    await failingSessionWrites('delete');
    await expect(
      changePassword(fork(), user, null, { currentPassword: PASSWORD, newPassword: 'a new password' }),
    ).rejects.toThrow(/session writes refused/);
    const [row] = await sql<{ password_hash: string }>(`select password_hash from student where email = ?`, [
      email,
    ]);
    expect(row!.password_hash).toBe(hash);
    expect(await findSessionUser(fork(), other)).not.toBeNull();
  });

  it("a new student's account made for an activity their grade may not join is not kept", async () => {
    const [activity] = await sql<{ id: number }>(
      `insert into activity (name, max_participants, allowed_grades) values ('Seniors only', 5, '{12}') returning id`,
    );
    await expect(
      addNewStudent(fork(), {
        activityId: activity!.id,
        email: 'newcomer@mergington.edu',
        name: 'New Comer',
        grade: 10,
      }),
    ).rejects.toThrow(/open to grades 12 only/);
    expect(await sql(`select id from student where email = 'newcomer@mergington.edu'`)).toEqual([]);
  });
});
