import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, expect } from 'vitest';
import {
  createSession,
  type MikroORM,
  type Principal,
  Student,
  Teacher,
  type TeacherRole,
} from '@mergington/db';
import { type Context, onePasswordCheck } from './context.ts';
import { createCaller } from './router.ts';
import { type ApiServerOptions, createApiServer } from './server.ts';

const silent = pino({ level: 'silent' });

/** Serves the API on a free port for the rest of a test file; returns its base URL (no trailing slash). */
export async function startTestServer(
  orm: MikroORM,
  options: Omit<ApiServerOptions, 'orm' | 'logger'> = {},
): Promise<string> {
  const server = createApiServer({ orm, logger: silent, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A caller as an anonymous visitor or, with a token, as its user (sent as a Bearer token). */
export function callerFor(orm: MikroORM, token?: string) {
  return callerWithCookies(orm, token).caller;
}

/**
 * A caller, and the session cookies its procedures set (null: cleared). Each call is a request of its own
 * (its own password check). Email is on unless `emailOn` says otherwise.
 */
export function callerWithCookies(
  orm: MikroORM,
  token?: string,
  clientAddress = '127.0.0.1',
  { emailOn = true }: { emailOn?: boolean } = {},
) {
  const cookies: (string | null)[] = [];
  const ctx = (): Context => ({
    orm,
    logger: silent,
    requestId: 'test',
    credentials: token ? { token, via: 'bearer' } : null,
    sameOrigin: true,
    clientAddress,
    https: false,
    emailOn,
    claimPasswordCheck: onePasswordCheck(),
    setSessionCookie: (value) => void cookies.push(value),
  });
  return { caller: createCaller(ctx), cookies };
}

export interface TestUser {
  user: Principal;
  token: string;
}

const unique = () => randomBytes(4).toString('hex');

/** A student with a session, made directly in the database (pass a ready hash: hashing is slow). */
export async function createTestStudent(
  orm: MikroORM,
  fields: { grade?: number | null; email?: string; name?: string; passwordHash?: string } = {},
): Promise<TestUser> {
  const em = orm.em.fork();
  const email = fields.email ?? `student-${unique()}@mergington.edu`;
  const student = em.create(Student, {
    email,
    name: fields.name ?? `Student ${email.split('@')[0]}`,
    grade: fields.grade === undefined ? 10 : fields.grade,
    passwordHash: fields.passwordHash ?? null,
  });
  await em.flush();
  const user: Principal = {
    kind: 'student',
    id: student.id,
    email,
    name: student.name,
    grade: student.grade ?? null,
    mustChangePassword: false,
  };
  return { user, token: (await createSession(em, user)).token };
}

/** A student made as createTestStudent does, with a caller signed in as them. */
export async function createTestStudentCaller(
  orm: MikroORM,
  fields: Parameters<typeof createTestStudent>[1] = {},
): Promise<TestUser & { caller: ReturnType<typeof callerFor> }> {
  const student = await createTestStudent(orm, fields);
  return { ...student, caller: callerFor(orm, student.token) };
}

export async function createTestTeacher(
  orm: MikroORM,
  role: TeacherRole = 'teacher',
  passwordHash = 'not-a-usable-hash',
): Promise<TestUser> {
  const em = orm.em.fork();
  const username = `${role}-${unique()}`;
  const teacher = em.create(Teacher, {
    email: `${username}@mergington.edu`,
    username,
    name: `Teacher ${username}`,
    role,
    passwordHash,
  });
  await em.flush();
  const user: Principal = {
    kind: 'teacher',
    id: teacher.id,
    email: teacher.email,
    username,
    name: teacher.name,
    role,
    mustChangePassword: false,
  };
  return { user, token: (await createSession(em, user)).token };
}

const STUDENT_KEYS = new Set(['studentId', 'email', 'grade']);
/** Where an `id` is a student's: under a key that holds a student. */
const HOLDS_A_STUDENT = /student|leader|member|winner|holder/i;

/**
 * Every place in an answer that gives a student away, as "path: what" (empty: none): a `studentId`,
 * `email` or `grade` key, an id under a key that holds a student, or the email or surname of one of
 * `students` anywhere in a string. What a visitor's answer must never contain.
 */
export function studentDataIn(value: unknown, students: Principal[], path: string[] = []): string[] {
  if (typeof value === 'string') {
    const text = value.toLowerCase();
    return students.flatMap((student) => {
      const surname = student.name.trim().split(/\s+/).at(-1)!;
      return [student.email, surname]
        .filter((secret) => text.includes(secret.toLowerCase()))
        .map((secret) => `${path.join('.')}: "${secret}"`);
    });
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...path, key];
    const isStudentId = key === 'id' && path.some((segment) => HOLDS_A_STUDENT.test(segment));
    const found = STUDENT_KEYS.has(key) || isStudentId ? [`${here.join('.')} (a student's ${key})`] : [];
    return [...found, ...studentDataIn(child, students, here)];
  });
}

/**
 * Holds the row lock of an activity in a transaction of its own, so that a signup for it waits; `release`
 * commits. `untilSomeoneWaits` returns once a statement of this database waits for a lock (pg_locks),
 * however busy the machine.
 */
export async function holdActivityLock(orm: MikroORM, activityId: number) {
  const em = orm.em.fork();
  await em.begin();
  await em
    .getConnection()
    .execute(
      `select id from activity where id = ? for update`,
      [activityId],
      'all',
      em.getTransactionContext(),
    );
  const waiting = async () =>
    (
      await orm.em
        .fork()
        .getConnection()
        .execute<{ n: number }[]>(
          `select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid)
            where not l.granted and a.datname = current_database()`,
        )
    )[0]!.n;
  return {
    untilSomeoneWaits: () => expect.poll(waiting, { timeout: 20_000, interval: 20 }).toBeGreaterThan(0),
    release: () => em.commit(),
  };
}
