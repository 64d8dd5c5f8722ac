import { afterAll, describe, expect, it } from 'vitest';
import { createSession, hashPassword } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { type ApiProcess, startApiProcess } from './process.ts';
import { createTestStudent, createTestTeacher } from './testing.ts';

// Two API processes on one database, as two replicas (or two workers) run. Whatever ends a session or takes
// a role away on one of them must hold for the very next call on the other: no process may answer from what
// it knew before (a cache of sessions would have to be dropped everywhere before the change returns). Each
// case first uses the session on B, so that anything B kept would be warm, then changes it on A.
const { orm, url } = await useTestDatabase();
const start = () => startApiProcess(url, { LOG_LEVEL: 'error' });
const [a, b] = await Promise.all([start(), start()]);
afterAll(async () => {
  for (const api of [a, b]) api.stop();
  await Promise.all([a.exited, b.exited]);
});

/** One tRPC call over HTTP: its status and tRPC code (undefined when it succeeded). */
async function call(
  api: ApiProcess,
  path: string,
  token: string,
  input: unknown = {},
  mutation = false,
): Promise<{ status: number; code?: string }> {
  const authorization = `Bearer ${token}`;
  const body = JSON.stringify({ json: input });
  const response = mutation
    ? await fetch(`${api.origin}/trpc/${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body,
      })
    : await fetch(`${api.origin}/trpc/${path}?input=${encodeURIComponent(body)}`, {
        headers: { authorization },
      });
  const answer = (await response.json()) as { error?: { json: { data: { code: string } } } };
  return { status: response.status, code: answer.error?.json.data.code };
}

async function newActivity(): Promise<number> {
  const [row] = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: number }[]>(
      `insert into activity (name, max_participants) values ('Ends ' || gen_random_uuid(), 10) returning id`,
    );
  return row!.id;
}

const join = (api: ApiProcess, token: string, activityId: number) =>
  call(api, 'signups.join', token, { activityId }, true);

describe('a session ended on one API process', () => {
  it('is refused on the other by the very next call, after a logout', async () => {
    const { token } = await createTestStudent(orm);
    expect(await join(b, token, await newActivity())).toEqual({ status: 200 });
    expect(await call(b, 'signups.mine', token)).toEqual({ status: 200 });

    expect(await call(a, 'auth.logOut', token, undefined, true)).toEqual({ status: 200 });
    expect(await join(b, token, await newActivity())).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await call(b, 'signups.mine', token)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('is refused on the other by the very next call, after a password change ends it', async () => {
    const password = 'old password for both';
    const first = await createTestStudent(orm, { passwordHash: await hashPassword(password) });
    // The same student's second session, as a second login makes.
    const { token: other } = await createSession(orm.em.fork(), first.user);
    expect(await join(b, other, await newActivity())).toEqual({ status: 200 });
    expect(await call(b, 'signups.mine', other)).toEqual({ status: 200 });

    const change = { currentPassword: password, newPassword: 'a new password for both' };
    expect(await call(a, 'auth.changePassword', first.token, change, true)).toEqual({ status: 200 });
    expect(await join(b, other, await newActivity())).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await call(b, 'signups.mine', other)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    // The session that changed it goes on.
    expect(await join(b, first.token, await newActivity())).toEqual({ status: 200 });
  });

  it('is refused on the other by the very next call, after the account is deleted', async () => {
    const admin = await createTestTeacher(orm, 'admin');
    const student = await createTestStudent(orm);
    expect(await join(b, student.token, await newActivity())).toEqual({ status: 200 });
    expect(await call(b, 'signups.mine', student.token)).toEqual({ status: 200 });

    expect(await call(a, 'students.delete', admin.token, { id: student.user.id }, true)).toEqual({
      status: 200,
    });
    expect(await join(b, student.token, await newActivity())).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await call(b, 'signups.mine', student.token)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  });
});

describe('a role taken away on one API process', () => {
  it('is refused on the other by the very next call, after an admin is demoted', async () => {
    const admin = await createTestTeacher(orm, 'admin');
    const demoted = await createTestTeacher(orm, 'admin');
    expect(await call(b, 'teachers.list', demoted.token)).toEqual({ status: 200 });
    expect(await join(b, demoted.token, await newActivity())).toEqual({ status: 403, code: 'FORBIDDEN' });

    const demotion = { id: demoted.user.id, role: 'teacher' };
    expect(await call(a, 'teachers.update', admin.token, demotion, true)).toEqual({ status: 200 });
    expect(await call(b, 'teachers.list', demoted.token)).toEqual({ status: 403, code: 'FORBIDDEN' });
    // Still a teacher, and still not a student.
    expect(await call(b, 'signups.mine', demoted.token)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await join(b, demoted.token, await newActivity())).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});
