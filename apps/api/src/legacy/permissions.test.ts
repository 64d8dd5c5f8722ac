import { describe, expect, it } from 'vitest';
import { hashPassword, type LegacyApiMode } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { createTestStudent, createTestTeacher, startTestServer, type TestUser } from '../testing.ts';
import { activityPath, oldCall } from './testing.ts';

// The README's table of the old app's endpoints ("Who may do what"), as a test: each endpoint is called in
// each LEGACY_API mode as each kind of caller, and an answer other than the table's fails. With the mode
// off, every one of them is a 404 (they do not exist), whatever the method.
const { orm } = await useTestDatabase();
const PASSWORD = 'legacy matrix password';
const passwordHash = await hashPassword(PASSWORD);
const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(text, params);

type Caller = 'anyone' | 'student' | 'teacher' | 'admin';
const CALLERS: Caller[] = ['anyone', 'student', 'teacher', 'admin'];
/** 200: allowed; 401: sign in first; 403: not with this role; 404: the endpoint does not exist. */
type Outcome = 200 | 401 | 403 | 404;

interface Endpoint {
  method: string;
  path: (activity: string) => string;
  /** The query: made fresh for each call (a new student to sign up, a signed-up one to remove). */
  query: (activity: string, me: TestUser | null) => Promise<Record<string, string>>;
  open: Outcome;
  teachers: Record<Caller, Outcome>;
}

let n = 0;
const newEmail = () => `matrix-${Date.now()}-${++n}@mergington.edu`;
const ALL_STAFF: Record<Caller, Outcome> = { anyone: 401, student: 403, teacher: 200, admin: 200 };
const EVERYONE: Record<Caller, Outcome> = { anyone: 200, student: 200, teacher: 200, admin: 200 };
const signedUp = async (activity: string) => {
  const email = newEmail();
  await sql(
    `with s as (insert into student (email, name) values (?, 'Matrix') returning id)
     insert into activity_participant (activity_id, student_id, status)
     select a.id, s.id, 'enrolled' from activity a, s where a.name = ?`,
    [email, activity],
  );
  return { email };
};

const MATRIX: Record<string, Endpoint> = {
  'GET /activities': {
    method: 'GET',
    path: () => '/activities',
    query: async () => ({}),
    open: 200,
    teachers: EVERYONE,
  },
  'GET /activities/days': {
    method: 'GET',
    path: () => '/activities/days',
    query: async () => ({}),
    open: 200,
    teachers: EVERYONE,
  },
  'POST /activities/{name}/signup': {
    method: 'POST',
    path: (activity) => activityPath(activity, 'signup'),
    query: async () => ({ email: newEmail() }),
    open: 200,
    teachers: ALL_STAFF,
  },
  'DELETE /activities/{name}/unregister': {
    method: 'DELETE',
    path: (activity) => activityPath(activity, 'unregister'),
    query: signedUp,
    open: 200,
    teachers: ALL_STAFF,
  },
  'POST /activities/{name}/unregister': {
    method: 'POST',
    path: (activity) => activityPath(activity, 'unregister'),
    query: signedUp,
    open: 200,
    teachers: ALL_STAFF,
  },
  'POST /auth/login': {
    method: 'POST',
    path: () => '/auth/login',
    // Each caller signs in as a teacher of its own (a login needs no session).
    query: async () => ({
      username: (await createTestTeacher(orm, 'teacher', passwordHash)).user.email,
      password: PASSWORD,
    }),
    open: 404,
    teachers: EVERYONE,
  },
  'POST /auth/logout': {
    method: 'POST',
    path: () => '/auth/logout',
    query: async () => ({}),
    open: 404,
    teachers: EVERYONE,
  },
  'GET /auth/check-session': {
    method: 'GET',
    path: () => '/auth/check-session',
    query: async () => ({}),
    open: 404,
    // Whether a teacher is signed in: a student's session is not one.
    teachers: { anyone: 401, student: 401, teacher: 200, admin: 200 },
  },
};

const servers = Object.fromEntries(
  await Promise.all(
    (['off', 'open', 'teachers'] as LegacyApiMode[]).map(
      async (mode) => [mode, await startTestServer(orm, { legacy: { mode, rateLimit: 100_000 } })] as const,
    ),
  ),
) as Record<LegacyApiMode, string>;

function expected(endpoint: Endpoint, mode: LegacyApiMode, caller: Caller): Outcome {
  if (mode === 'off') return 404;
  return mode === 'open' ? endpoint.open : endpoint.teachers[caller];
}

async function signIn(caller: Caller): Promise<TestUser | null> {
  if (caller === 'anyone') return null;
  return caller === 'student' ? createTestStudent(orm) : createTestTeacher(orm, caller);
}

describe('the old app’s endpoints, by LEGACY_API mode and caller', () => {
  for (const [name, endpoint] of Object.entries(MATRIX)) {
    for (const mode of ['off', 'open', 'teachers'] as LegacyApiMode[]) {
      it(`${name} (${mode}): ${CALLERS.map((caller) => `${caller} ${expected(endpoint, mode, caller)}`).join(', ')}`, async () => {
        const activity = `Matrix ${mode} ${++n}`;
        await sql(`insert into activity (name, max_participants) values (?, 100)`, [activity]);
        for (const caller of CALLERS) {
          const me = await signIn(caller);
          const answer = await oldCall(
            servers[mode],
            endpoint.method,
            endpoint.path(activity),
            await endpoint.query(activity, me),
            me ? { authorization: `Bearer ${me.token}` } : {},
          );
          expect(`${caller}: ${answer.status}`, JSON.stringify(answer.body)).toBe(
            `${caller}: ${expected(endpoint, mode, caller)}`,
          );
        }
      });
    }
  }
});
