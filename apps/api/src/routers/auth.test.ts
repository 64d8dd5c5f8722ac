import { createHash, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  initORM,
  legacyPbkdf2Hash,
  legacySha256Hash,
  LOGIN_THROTTLE,
  seedSampleData,
  Teacher,
} from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, callerWithCookies, createTestStudentCaller } from '../testing.ts';

const { orm, url } = await useTestDatabase();
await seedSampleData(orm);
const anonymous = callerFor(orm);

async function storedHash(username: string): Promise<string> {
  return (await orm.em.fork().findOneOrFail(Teacher, { username })).passwordHash;
}

describe('auth.register and auth.logIn for students', () => {
  it('registers a student, who then logs in and sees themselves', async () => {
    const student = await anonymous.auth.register({
      email: '  Nora.Lee@Mergington.edu ',
      name: 'Nora Lee',
      grade: 11,
      password: 'correct horse',
    });
    expect(student).toMatchObject({ email: 'nora.lee@mergington.edu', grade: 11, hasPassword: true });
    const session = await anonymous.auth.logIn({
      as: 'student',
      login: 'NORA.LEE@mergington.edu',
      password: 'correct horse',
    });
    expect(session.token).toMatch(/^[\w-]{43}$/);
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(await callerFor(orm, session.token!).auth.me()).toMatchObject({
      kind: 'student',
      email: 'nora.lee@mergington.edu',
    });
  });

  it('refuses a second account for an email, naming the field', async () => {
    await expect(
      anonymous.auth.register({
        email: 'michael@mergington.edu',
        name: 'M',
        grade: 9,
        password: 'long enough',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('michael@mergington.edu') });
  });

  it('refuses bad input with a message per field', async () => {
    const error = await anonymous.auth
      .register({ email: 'not-an-email', name: '', grade: 13, password: 'short' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    const issues = (error as { cause: { issues: { path: string[] }[] } }).cause.issues.map((issue) =>
      issue.path.join('.'),
    );
    expect(issues.sort()).toEqual(['email', 'grade', 'name', 'password']);
  });

  it('says the same for a wrong password and an unknown account, pointing to the other kind of account', async () => {
    for (const login of ['michael@mergington.edu', 'nobody@mergington.edu']) {
      await expect(
        anonymous.auth.logIn({ as: 'student', login, password: 'whatever1' }),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message:
          'Wrong email or password for a student account. Teachers and admins: choose “a teacher or admin”.',
      });
      await expect(
        anonymous.auth.logIn({ as: 'teacher', login, password: 'whatever1' }),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'Wrong login or password for a teacher or admin account. Students: choose “a student”.',
      });
    }
  });

  it('marks a refusal for want of a session (signedOut), and not a wrong password', async () => {
    const student = await createTestStudentCaller(orm);
    await student.caller.auth.logOut();
    await expect(student.caller.signups.mine()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      cause: expect.objectContaining({ name: 'NotSignedInError' }),
    });
    const refusal = await anonymous.auth
      .logIn({ as: 'student', login: 'nobody@mergington.edu', password: 'whatever1' })
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((refusal as { cause?: { name: string } }).cause?.name).not.toBe('NotSignedInError');
  });

  it('tells a signed-in user of the wrong kind who they are signed in as', async () => {
    const student = await createTestStudentCaller(orm);
    await expect(student.caller.teachers.list({})).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You are signed in as a student; only admins may do this',
    });
  });

  it('puts the token in a cookie, not the body, for the web app', async () => {
    await anonymous.auth.register({
      email: 'cookie@mergington.edu',
      name: 'C',
      grade: 10,
      password: 'cookie jar 1',
    });
    const { caller, cookies } = callerWithCookies(orm);
    const session = await caller.auth.logIn({
      as: 'student',
      login: 'cookie@mergington.edu',
      password: 'cookie jar 1',
      transport: 'cookie',
    });
    expect(session.token).toBeNull();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^[\w-]{43}$/);
  });
});

describe('teachers and admins', () => {
  it('log in by username or email with the old app’s argon2 hashes (art123, chess456, admin789)', async () => {
    const rodriguez = await anonymous.auth.logIn({ as: 'teacher', login: 'mrodriguez', password: 'art123' });
    expect(rodriguez.user).toMatchObject({ kind: 'teacher', role: 'teacher', name: 'Ms. Rodriguez' });
    const chen = await anonymous.auth.logIn({
      as: 'teacher',
      login: 'mchen@mergington.edu',
      password: 'chess456',
    });
    expect(chen.user).toMatchObject({ username: 'mchen' });
    const principal = await anonymous.auth.logIn({ as: 'teacher', login: 'Principal', password: 'admin789' });
    expect(principal.user).toMatchObject({ role: 'admin' });
    // Rehashed at our parameters (m=19 MiB, t=2, p=1), which the dummy check of a missing name uses too:
    // the old m=64 MiB, t=3 told existing names from missing ones by timing.
    expect(await storedHash('principal')).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('accept an old PBKDF2 hash once, replacing it with argon2id', async () => {
    const salt = 'c2FsdHk';
    const hash = pbkdf2Sync('pbkdf2 pass', salt, 1000, 32, 'sha256').toString('hex');
    await orm.em
      .fork()
      .nativeUpdate(
        Teacher,
        { username: 'mchen' },
        { passwordHash: legacyPbkdf2Hash({ salt, iterations: 1000, passwordHash: hash }) },
      );
    await anonymous.auth.logIn({ as: 'teacher', login: 'mchen', password: 'pbkdf2 pass' });
    expect(await storedHash('mchen')).toMatch(/^\$argon2id\$v=19\$m=19456,/);
    await anonymous.auth.logIn({ as: 'teacher', login: 'mchen', password: 'pbkdf2 pass' });
  });

  it('accept an old unsalted SHA-256 hash once, replacing it with argon2id', async () => {
    const hex = createHash('sha256').update('sha pass').digest('hex');
    await orm.em
      .fork()
      .nativeUpdate(Teacher, { username: 'mrodriguez' }, { passwordHash: legacySha256Hash(hex) });
    await expect(
      anonymous.auth.logIn({ as: 'teacher', login: 'mrodriguez', password: 'wrong pass' }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await anonymous.auth.logIn({ as: 'teacher', login: 'mrodriguez', password: 'sha pass' });
    expect(await storedHash('mrodriguez')).toMatch(/^\$argon2id\$/);
  });
});

describe('sessions', () => {
  it('logOut revokes the token', async () => {
    const { token } = await anonymous.auth.logIn({ as: 'teacher', login: 'principal', password: 'admin789' });
    const caller = callerFor(orm, token!);
    await caller.auth.logOut();
    await expect(caller.auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('changePassword checks the current one and ends the other sessions', async () => {
    await anonymous.auth.register({
      email: 'pat@mergington.edu',
      name: 'Pat',
      grade: 12,
      password: 'first password',
    });
    const first = await anonymous.auth.logIn({
      as: 'student',
      login: 'pat@mergington.edu',
      password: 'first password',
    });
    const second = await anonymous.auth.logIn({
      as: 'student',
      login: 'pat@mergington.edu',
      password: 'first password',
    });
    const caller = callerFor(orm, first.token!);
    await expect(
      caller.auth.changePassword({ currentPassword: 'wrong', newPassword: 'second password' }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await caller.auth.changePassword({ currentPassword: 'first password', newPassword: 'second password' });
    expect(await caller.auth.me()).toMatchObject({ email: 'pat@mergington.edu' });
    await expect(callerFor(orm, second.token!).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await anonymous.auth.logIn({ as: 'student', login: 'pat@mergington.edu', password: 'second password' });
  });

  it('session says who is signed in, and null (not an error) for nobody', async () => {
    const { token } = await anonymous.auth.logIn({ as: 'teacher', login: 'principal', password: 'admin789' });
    expect(await callerFor(orm, token!).auth.session()).toMatchObject({
      kind: 'teacher',
      username: 'principal',
    });
    expect(await anonymous.auth.session()).toBeNull();
    expect(await callerFor(orm, 'x'.repeat(43)).auth.session()).toBeNull();
  });

  it('refuses a made-up token', async () => {
    await expect(callerFor(orm, 'x'.repeat(43)).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('login throttling', () => {
  const free = LOGIN_THROTTLE.accountFromAddress.freeAttempts;

  it(`locks an account from an address after ${free} failures, for every API replica, even with the right password`, async () => {
    await anonymous.auth.register({
      email: 'victim@mergington.edu',
      name: 'V',
      grade: 9,
      password: 'the right one',
    });
    const guesser = callerWithCookies(orm, undefined, '203.0.113.7').caller;
    for (let attempt = 0; attempt < free; attempt++) {
      await expect(
        guesser.auth.logIn({ as: 'student', login: 'victim@mergington.edu', password: `guess ${attempt}` }),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    // Another process with its own pool: the state is in PostgreSQL, not in memory.
    const replica = await initORM({ url });
    try {
      await expect(
        callerWithCookies(replica, undefined, '203.0.113.7').caller.auth.logIn({
          as: 'student',
          login: 'victim@mergington.edu',
          password: 'the right one',
        }),
      ).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringMatching(/try again in 1 minute/),
      });
    } finally {
      await replica.close();
    }
    // The owner, from their own address, is not shut out; other accounts are not affected.
    await anonymous.auth.logIn({ as: 'student', login: 'victim@mergington.edu', password: 'the right one' });
    await guesser.auth.logIn({ as: 'teacher', login: 'principal', password: 'admin789' });
  });
});
