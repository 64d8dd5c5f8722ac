import { describe, expect, it, onTestFinished } from 'vitest';
import { hashPassword } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { startApiProcess } from './process.ts';
import { createTestStudent, holdActivityLock, startTestServer } from './testing.ts';

// Over real HTTP: what only a browser or another process sees.
const { orm, url: databaseUrl } = await useTestDatabase({ poolMax: 20 });
const base = await startTestServer(orm);
const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(text, params);

async function call(origin: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: body }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const PASSWORD = 'http password';
const student = await createTestStudent(orm, { passwordHash: await hashPassword(PASSWORD) });

describe('the web app’s cookie session', () => {
  it('is set HttpOnly and SameSite=Lax by a cookie login, and signs later requests in', async () => {
    const login = await call(base, 'auth.logIn', {
      as: 'student',
      login: student.user.email,
      password: PASSWORD,
      transport: 'cookie',
    });
    expect(login.status).toBe(200);
    expect(login.body.result.data.json.token).toBeNull();
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^mergington_session=[\w-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(';')[0]!;

    const me = await fetch(`${base}/trpc/auth.me`, { headers: { cookie } });
    expect(((await me.json()) as any).result.data.json).toMatchObject({
      kind: 'student',
      email: student.user.email,
    });

    // A mutation with the cookie from this site goes through...
    const activity = (
      await sql(`insert into activity (name, max_participants) values ('Http Club', 5) returning id`)
    )[0] as { id: number };
    const fromHere = await call(base, 'signups.join', { activityId: activity.id }, { cookie, origin: base });
    expect(fromHere.status).toBe(200);
    // ...from another site, or without an Origin, it is refused (CSRF).
    for (const origin of ['https://evil.example', undefined]) {
      const refused = await call(
        base,
        'signups.leave',
        { activityId: activity.id },
        { cookie, ...(origin ? { origin } : {}) },
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.json.message).toMatch(/cross-site request refused/);
    }
    // A form post (not JSON) is refused too.
    const form = await fetch(`${base}/trpc/signups.leave`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie, origin: base },
      body: JSON.stringify({ json: { activityId: activity.id } }),
    });
    expect([403, 415, 400]).toContain(form.status);
    expect(
      (
        await sql(`select count(*)::int as n from activity_participant where activity_id = ?`, [activity.id])
      )[0],
    ).toEqual({ n: 1 });

    const logout = await call(base, 'auth.logOut', null, { cookie, origin: base });
    expect(logout.headers.get('set-cookie')).toMatch(/^mergington_session=; Max-Age=0/);
  });

  it('a Bearer token needs no Origin: it is not sent by browsers on their own', async () => {
    // A mutation: queries are never checked for CSRF, so only a mutation shows the token is exempt.
    const bearer = await createTestStudent(orm);
    const [activity] = (await sql(
      `insert into activity (name, max_participants) values ('Bearer Club', 5) returning id`,
    )) as { id: number }[];
    const joined = await call(
      base,
      'signups.join',
      { activityId: activity!.id },
      { authorization: `Bearer ${bearer.token}` },
    );
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(
      await sql(`select count(*)::int as n from activity_participant where student_id = ?`, [bearer.user.id]),
    ).toEqual([{ n: 1 }]);
  });
});

describe('errors over HTTP', () => {
  it('are 4xx with a message per field, and never a stack trace', async () => {
    const bad = await call(base, 'auth.register', { email: 'nope', name: 'X', grade: 9, password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.json.message).toBe(
      'Invalid input: email: Invalid email address; password: must be at least 8 characters',
    );
    expect(bad.body.error.json.data.fieldErrors).toEqual({
      email: ['Invalid email address'],
      password: ['must be at least 8 characters'],
    });
    expect(JSON.stringify(bad.body)).not.toMatch(/stack|\.ts:\d+/);

    const missing = await fetch(
      `${base}/trpc/activities.get?input=${encodeURIComponent(JSON.stringify({ json: { id: 424242 } }))}`,
    );
    expect(missing.status).toBe(404);
    const notFound = (await missing.json()) as any;
    expect(notFound.error.json.message).toBe('activity 424242 was not found');
    const anonymous = await call(base, 'signups.join', { activityId: 1 });
    expect(anonymous.status).toBe(401);
    // Plain JSON: a key the error does not have is left out, not sent as undefined (through superjson's meta).
    expect(anonymous.body.error.json.data.signedOut).toBe(true);
    expect(Object.keys(anonymous.body.error.json.data)).not.toContain('fieldErrors');
    expect(Object.keys(notFound.error.json.data)).not.toContain('signedOut');
    // A batch too large for the API has no procedure path.
    const batch = await fetch(`${base}/trpc/${Array(100).fill('signups.join').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [i, { json: {} }]))),
    });
    expect(batch.status).toBe(400);
    const tooMany = (await batch.json()) as any;
    expect(Object.keys(tooMany.error.json.data)).not.toContain('path');
    for (const body of [bad.body, notFound, anonymous.body, tooMany])
      expect(body.error).not.toHaveProperty('meta');
    const malformed = await fetch(`${base}/trpc/activities.get?input=%7Bnot-json`);
    expect(malformed.status).toBe(400);
  });
});

async function startReplica() {
  const api = await startApiProcess(databaseUrl, { LOG_LEVEL: 'error' });
  // Called inside a test: afterAll would never run there, and the process would outlive the tests.
  onTestFinished(async () => {
    api.stop();
    await api.exited;
  });
  return api;
}

describe('two API processes on one database', () => {
  it('take 200 concurrent signups for 10 seats: exactly 10 enrolled, no 5xx', async () => {
    const [first, second] = await Promise.all([startReplica(), startReplica()]);
    const [activity] = (await sql(
      `insert into activity (name, max_participants) values ('Ten Seats', 10) returning id`,
    )) as { id: number }[];
    const students = await Promise.all(Array.from({ length: 200 }, () => createTestStudent(orm)));
    const responses = await Promise.all(
      students.map((s, index) =>
        call(
          index % 2 ? first.origin : second.origin,
          'signups.join',
          { activityId: activity!.id },
          { authorization: `Bearer ${s.token}` },
        ),
      ),
    );
    expect(responses.map((response) => response.status).filter((status) => status !== 200)).toEqual([]);
    const statuses = responses.map((response) => response.body.result.data.json.status);
    expect(statuses.filter((status) => status === 'enrolled')).toHaveLength(10);
    const positions = responses
      .map((response) => response.body.result.data.json.waitlistPosition)
      .filter(Boolean)
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));
    expect(
      await sql(
        `select status, count(*)::int as n from activity_participant where activity_id = ? group by status order by status`,
        [activity!.id],
      ),
    ).toEqual([
      { status: 'enrolled', n: 10 },
      { status: 'waitlisted', n: 190 },
    ]);
  });
});

describe('shutdown', () => {
  it('on SIGTERM finishes the request in flight, then exits cleanly', async () => {
    const api = await startReplica();
    const [activity] = (await sql(
      `insert into activity (name, max_participants) values ('Slow Club', 5) returning id`,
    )) as { id: number }[];
    const s = await createTestStudent(orm);
    // Hold the activity's lock so that the signup is still running when the signal comes.
    const lock = await holdActivityLock(orm, activity!.id);
    const inFlight = call(
      api.origin,
      'signups.join',
      { activityId: activity!.id },
      { authorization: `Bearer ${s.token}` },
    );
    // Waits, however busy the machine, until the signup is waiting for the lock...
    await lock.untilSomeoneWaits();
    const patiently = { timeout: 20_000, interval: 20 };
    api.stop();
    // ...and the signal taken in: the API accepts no more connections while the signup still waits.
    const accepting = () =>
      fetch(`${api.origin}/healthz`).then(
        () => 'accepting',
        () => 'refusing',
      );
    await expect.poll(accepting, patiently).toBe('refusing');
    await lock.release();
    expect((await inFlight).status).toBe(200);
    expect(await api.exited).toBe(0);
  });
});
