import { describe, expect, it } from 'vitest';
import { hashPassword } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { appRouter } from './router.ts';
import { callerFor, createTestStudent, createTestTeacher, type TestUser } from './testing.ts';

// The permission table of the README, as a test: every procedure is called as each kind of user, and a
// call that gets through where the table says it must not (or is refused where it must pass) fails.
const { orm } = await useTestDatabase();
const PASSWORD = 'matrix password';
const passwordHash = await hashPassword(PASSWORD);
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);

type Role = 'anonymous' | 'student' | 'otherStudent' | 'teacher' | 'admin';
const ROLES: Role[] = ['anonymous', 'student', 'otherStudent', 'teacher', 'admin'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND';

interface Fixture {
  /** The caller, when signed in. */
  me: TestUser | null;
  /** The student whose things the call is about: the caller as 'student', someone else as 'otherStudent'. */
  owner: TestUser;
}

interface Case {
  allowed: Role[] | 'anyone';
  input: (fixture: Fixture) => Promise<unknown>;
  /** Where another student must not reach the owner's things. */
  otherStudent?: Outcome;
}

let n = 0;
const unique = () => `${Date.now()}-${++n}`;
const newActivity = () => admin.activities.create({ name: `Matrix ${unique()}`, maxParticipants: 5 });
const STUDENTS: Role[] = ['student', 'otherStudent'];
const STAFF: Role[] = ['teacher', 'admin'];
const ADMIN: Role[] = ['admin'];
const SIGNED_IN: Role[] = [...STUDENTS, ...STAFF];

const MATRIX: Record<string, Case> = {
  'auth.register': {
    allowed: 'anyone',
    input: async () => ({
      email: `reg-${unique()}@mergington.edu`,
      name: 'New',
      grade: 9,
      password: PASSWORD,
    }),
  },
  'auth.logIn': {
    allowed: 'anyone',
    input: async () => {
      const { user } = await createTestStudent(orm, { passwordHash });
      return { as: 'student', login: user.email, password: PASSWORD };
    },
  },
  'auth.logOut': { allowed: SIGNED_IN, input: async () => undefined },
  'auth.me': { allowed: SIGNED_IN, input: async () => undefined },
  'auth.changePassword': {
    allowed: SIGNED_IN,
    input: async () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }),
  },
  'activities.list': { allowed: 'anyone', input: async () => ({}) },
  'activities.get': { allowed: 'anyone', input: async () => ({ id: (await newActivity()).id }) },
  'activities.create': {
    allowed: STAFF,
    input: async () => ({ name: `Created ${unique()}`, maxParticipants: 3 }),
  },
  'activities.update': {
    allowed: STAFF,
    input: async () => {
      const activity = await newActivity();
      return { id: activity.id, version: activity.version, description: 'changed' };
    },
  },
  'activities.delete': { allowed: STAFF, input: async () => ({ id: (await newActivity()).id }) },
  'participants.list': { allowed: STAFF, input: async () => ({ activityId: (await newActivity()).id }) },
  'participants.add': {
    allowed: STAFF,
    input: async ({ owner }) => ({ activityId: (await newActivity()).id, email: owner.user.email }),
  },
  'participants.remove': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const activity = await newActivity();
      await admin.participants.add({ activityId: activity.id, email: owner.user.email });
      return { activityId: activity.id, email: owner.user.email };
    },
  },
  'signups.mine': { allowed: STUDENTS, input: async () => undefined },
  'signups.join': { allowed: STUDENTS, input: async () => ({ activityId: (await newActivity()).id }) },
  'signups.leave': {
    allowed: STUDENTS,
    // Withdrawing is only ever of oneself: another student's signup is not theirs to find.
    otherStudent: 'NOT_FOUND',
    input: async ({ owner }) => {
      const activity = await newActivity();
      await admin.participants.add({ activityId: activity.id, email: owner.user.email });
      return { activityId: activity.id };
    },
  },
  'students.list': { allowed: STAFF, input: async () => ({}) },
  'students.get': { allowed: STAFF, input: async ({ owner }) => ({ id: owner.user.id }) },
  'students.create': {
    allowed: ADMIN,
    input: async () => ({ email: `made-${unique()}@mergington.edu`, name: 'Made', grade: 10 }),
  },
  'students.update': { allowed: ADMIN, input: async ({ owner }) => ({ id: owner.user.id, grade: 11 }) },
  'students.delete': { allowed: ADMIN, input: async () => ({ id: (await createTestStudent(orm)).user.id }) },
  'teachers.list': { allowed: ADMIN, input: async () => ({}) },
  'teachers.get': { allowed: ADMIN, input: async () => ({ id: (await createTestTeacher(orm)).user.id }) },
  'teachers.create': {
    allowed: ADMIN,
    input: async () => {
      const username = `t${unique()}`;
      return {
        email: `${username}@mergington.edu`,
        username,
        name: 'T',
        role: 'teacher',
        password: PASSWORD,
      };
    },
  },
  'teachers.update': {
    allowed: ADMIN,
    input: async () => ({ id: (await createTestTeacher(orm)).user.id, name: 'Renamed' }),
  },
  'teachers.delete': { allowed: ADMIN, input: async () => ({ id: (await createTestTeacher(orm)).user.id }) },
};

function expected(procedure: string, role: Role): Outcome {
  const { allowed, otherStudent } = MATRIX[procedure]!;
  if (allowed === 'anyone' || allowed.includes(role))
    return role === 'otherStudent' && otherStudent ? otherStudent : 'ok';
  return role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN';
}

async function signIn(role: Role): Promise<TestUser | null> {
  if (role === 'anonymous') return null;
  if (role === 'teacher' || role === 'admin') return createTestTeacher(orm, role, passwordHash);
  return createTestStudent(orm, { passwordHash });
}

describe('the role matrix', () => {
  it('covers every procedure of the API', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  for (const procedure of Object.keys(MATRIX)) {
    it(`${procedure}: ${ROLES.map((role) => `${role} ${expected(procedure, role)}`).join(', ')}`, async () => {
      for (const role of ROLES) {
        const me = await signIn(role);
        const owner = role === 'student' ? me! : await createTestStudent(orm, { passwordHash });
        const input = await MATRIX[procedure]!.input({ me, owner });
        const caller = callerFor(orm, me?.token);
        const call = procedure
          .split('.')
          .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
          input: unknown,
        ) => Promise<unknown>;
        const outcome = await call(input).then(
          () => 'ok',
          (error: { code?: string }) => error.code ?? String(error),
        );
        expect(`${role}: ${outcome}`).toBe(`${role}: ${expected(procedure, role)}`);
      }
    });
  }
});
