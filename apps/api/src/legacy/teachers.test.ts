import { describe, expect, it, onTestFinished } from 'vitest';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { startApiProcess } from '../process.ts';
import { createTestStudent, createTestTeacher, startTestServer } from '../testing.ts';
import { activityPath, oldActivities, oldCall } from './testing.ts';

// LEGACY_API=teachers over real HTTP, on the later old app's sample data (the seed): reading is open,
// signing up and unregistering need a signed-in teacher or admin, who signs in as the old pages did
// (POST /auth/login?username=&password=) and gets our normal session cookie.
const { orm, url: databaseUrl } = await useTestDatabase({ poolMax: 20 });
await seedSampleData(orm);
const base = await startTestServer(orm, { legacy: { mode: 'teachers' } });
const sql = <T>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

/** Signs in as the old page did; the session cookie it set. */
async function logIn(username: string, password: string, origin = base) {
  const answer = await oldCall(origin, 'POST', '/auth/login', { username, password });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return { answer, cookie: answer.headers.get('set-cookie')!.split(';')[0]! };
}

const teacher = await logIn('mrodriguez', 'art123');
const asTeacher = { cookie: teacher.cookie, origin: base };
const signUp = (name: string, email: string, headers: Record<string, string> = asTeacher) =>
  oldCall(base, 'POST', activityPath(name, 'signup'), { email }, headers);
const unregister = (name: string, email: string, method = 'POST', headers = asTeacher) =>
  oldCall(base, method, activityPath(name, 'unregister'), { email }, headers);
const catalogue = (headers: Record<string, string> = asTeacher, query?: Record<string, string>) =>
  oldCall(base, 'GET', '/activities', query, headers);

async function newActivity(maxParticipants: number) {
  const name = `Teachers Club ${Math.random().toString(36).slice(2, 8)}`;
  await sql(`insert into activity (name, max_participants) values (?, ?)`, [name, maxParticipants]);
  return name;
}

describe('POST /auth/login, GET /auth/check-session, POST /auth/logout', () => {
  it('signs a teacher in with the old query parameters: our session cookie, the old answer', async () => {
    expect(teacher.answer.body).toEqual({
      username: 'mrodriguez',
      display_name: 'Ms. Rodriguez',
      role: 'teacher',
    });
    expect(teacher.answer.headers.get('set-cookie')).toMatch(
      /^mergington_session=[\w-]{43}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/,
    );
    const admin = await logIn('principal', 'admin789');
    expect(admin.answer.body).toEqual({
      username: 'principal',
      display_name: 'Principal Martinez',
      role: 'admin',
    });
    expect(
      await oldCall(base, 'GET', '/auth/check-session', { username: 'principal' }, { cookie: admin.cookie }),
    ).toMatchObject({
      status: 200,
      body: { username: 'principal', display_name: 'Principal Martinez', role: 'admin' },
    });
  });

  it('refuses a wrong password with 401 "Invalid username or password", and a name nobody has alike', async () => {
    for (const [username, password] of [
      ['mchen', 'wrong password'],
      ['nobody', 'chess456'],
    ]) {
      const answer = await oldCall(base, 'POST', '/auth/login', { username: username!, password: password! });
      expect(answer).toMatchObject({ status: 401, body: { detail: 'Invalid username or password' } });
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    expect((await oldCall(base, 'POST', '/auth/login', { username: 'mchen' })).status).toBe(422);
    // A username of blanks is no login at all: a 422 naming the parameter, not a server error.
    const blank = await oldCall(base, 'POST', '/auth/login', { username: '   ', password: 'x' });
    expect(blank).toMatchObject({ status: 422, body: { detail: [{ loc: ['query', 'username'] }] } });
  });

  it('counts failed logins in the login throttle: the 6th wrong password for an account is refused (429)', async () => {
    const throttled = await createTestTeacher(orm);
    const attempts = [];
    for (let i = 0; i < 6; i++) {
      attempts.push(
        await oldCall(base, 'POST', '/auth/login', {
          username: throttled.user.email,
          password: `guess ${i}`,
        }),
      );
    }
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(attempts[5]!.body.detail).toMatch(/too many failed logins/);
    expect(Number(attempts[5]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('checks the session by its cookie, not by the username it is told, and logs out', async () => {
    const session = await logIn('mchen', 'chess456');
    // The old app believed ?username= alone; here it names nobody without the session.
    expect(await oldCall(base, 'GET', '/auth/check-session', { username: 'mchen' })).toMatchObject({
      status: 401,
      body: { detail: 'Not signed in' },
    });
    const mine = await oldCall(
      base,
      'GET',
      '/auth/check-session',
      { username: 'principal' },
      { cookie: session.cookie },
    );
    expect(mine.body.username).toBe('mchen');

    const out = await oldCall(base, 'POST', '/auth/logout', {}, { cookie: session.cookie });
    expect(out).toMatchObject({ status: 200, body: { message: 'Logged out' } });
    expect(out.headers.get('set-cookie')).toMatch(/^mergington_session=; Max-Age=0/);
    expect((await oldCall(base, 'GET', '/auth/check-session', {}, { cookie: session.cookie })).status).toBe(
      401,
    );
    expect(
      (await signUp('Chess Club', 'after.logout@mergington.edu', { cookie: session.cookie })).status,
    ).toBe(401);
  });
});

describe('GET /activities and /activities/days (open to everyone)', () => {
  it('gives staff the old app’s file as it was seeded: schedules, details, participants’ emails', async () => {
    const answer = await catalogue();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(oldActivities('mergington-v3'));
  });

  it('shows anyone else each participant as a visitor sees a student (first name, initial), never an email', async () => {
    const student = await createTestStudent(orm);
    for (const headers of [{}, { cookie: `mergington_session=${student.token}` }] as Record<
      string,
      string
    >[]) {
      const answer = await catalogue(headers);
      expect(answer.status).toBe(200);
      expect(answer.body['Chess Club'].participants).toEqual(['Michael', 'Daniel']);
      expect(JSON.stringify(answer.body)).not.toContain('@');
      expect(answer.body['Chess Club'].max_participants).toBe(12);
    }
  });

  it('filters by day and time as the later version did, and lists the days (sorted by name)', async () => {
    const names = async (query: Record<string, string>) =>
      Object.keys((await catalogue({}, query)).body).sort();
    expect(await names({ day: 'Saturday' })).toEqual(['Science Olympiad', 'Weekend Robotics Workshop']);
    // Before school: starting from 06:00, ending by 08:00.
    expect(await names({ start_time: '06:00', end_time: '08:00' })).toEqual([
      'Math Club',
      'Morning Fitness',
      'Programming Class',
    ]);
    expect(await names({ day: 'Tuesday', start_time: '15:00' })).toEqual(['Soccer Team']);
    expect(await names({ day: 'Someday' })).toEqual([]);
    expect(await oldCall(base, 'GET', '/activities/days')).toMatchObject({
      status: 200,
      body: ['Friday', 'Monday', 'Saturday', 'Sunday', 'Thursday', 'Tuesday', 'Wednesday'],
    });
  });
});

describe('signing up and unregistering', () => {
  it('needs a signed-in teacher: 401 without a session, whatever teacher_username says', async () => {
    for (const query of [
      { email: 'anon@mergington.edu' },
      { email: 'anon@mergington.edu', teacher_username: 'principal' },
    ] as Record<string, string>[]) {
      expect(await oldCall(base, 'POST', activityPath('Chess Club', 'signup'), query)).toMatchObject({
        status: 401,
        body: { detail: 'Authentication required for this action' },
      });
      expect(
        (
          await oldCall(base, 'POST', activityPath('Chess Club', 'unregister'), {
            ...query,
            email: 'michael@mergington.edu',
          })
        ).status,
      ).toBe(401);
    }
    expect(await sql(`select id from student where email = 'anon@mergington.edu'`)).toEqual([]);
  });

  it('refuses a signed-in student (403), and a teacher’s cookie sent from another site', async () => {
    const student = await createTestStudent(orm);
    expect(
      await signUp('Chess Club', student.user.email, { cookie: `mergington_session=${student.token}` }),
    ).toMatchObject({
      status: 403,
      body: { detail: 'Only teachers and admins may do this' },
    });
    expect(
      await signUp('Chess Club', 'csrf@mergington.edu', {
        cookie: teacher.cookie,
        origin: 'https://evil.example',
      }),
    ).toMatchObject({
      status: 403,
      body: { detail: 'cross-site request refused' },
    });
    expect(await sql(`select id from student where email = 'csrf@mergington.edu'`)).toEqual([]);
  });

  it('lets a teacher sign up and unregister in the old words (the later pages’ POST, the first’s DELETE)', async () => {
    expect(await signUp('Art Club', 'new.artist@mergington.edu')).toMatchObject({
      status: 200,
      body: { message: 'Signed up new.artist@mergington.edu for Art Club' },
    });
    expect((await catalogue()).body['Art Club'].participants).toEqual([
      'amelia@mergington.edu',
      'harper@mergington.edu',
      'new.artist@mergington.edu',
    ]);
    expect(await signUp('Art Club', 'NEW.ARTIST@mergington.edu')).toMatchObject({
      status: 400,
      body: { detail: 'Student is already signed up' },
    });
    expect(await unregister('Art Club', 'new.artist@mergington.edu')).toMatchObject({
      status: 200,
      body: { message: 'Unregistered new.artist@mergington.edu from Art Club' },
    });
    expect(await unregister('Art Club', 'harper@mergington.edu', 'DELETE')).toMatchObject({ status: 200 });
    expect(await unregister('Art Club', 'harper@mergington.edu')).toMatchObject({
      status: 400,
      body: { detail: 'Student is not registered for this activity' },
    });
    expect(await signUp('No Such Club', 'x@mergington.edu')).toMatchObject({
      status: 404,
      body: { detail: 'Activity not found' },
    });
    expect(await unregister('No Such Club', 'x@mergington.edu')).toMatchObject({
      status: 404,
      body: { detail: 'Activity not found' },
    });
  });

  it('records its writes in the audit trail as the signed-in teacher’s', async () => {
    const [last] = await sql<{ id: number }>(`select coalesce(max(id), 0) as id from audit_log`);
    const before = last!.id;
    expect(await signUp('Art Club', 'audited.artist@mergington.edu')).toMatchObject({ status: 200 });
    expect(await unregister('Art Club', 'audited.artist@mergington.edu')).toMatchObject({ status: 200 });
    const rows = await sql<{ change: string; actor: string }>(
      `select table_name || ' ' || action as change, actor_kind || ' ' || actor_name as actor
         from audit_log where id > ? and table_name = 'activity_participant' order by id`,
      [before],
    );
    expect(rows).toEqual([
      { change: 'activity_participant insert', actor: 'teacher Ms. Rodriguez' },
      { change: 'activity_participant delete', actor: 'teacher Ms. Rodriguez' },
    ]);
  });

  it('takes a Bearer token from the typed API too (for scripts)', async () => {
    const admin = await createTestTeacher(orm, 'admin');
    expect(
      (await signUp('Debate Team', 'bearer@mergington.edu', { authorization: `Bearer ${admin.token}` }))
        .status,
    ).toBe(200);
  });

  it('waitlists when full (the typed API’s rule), and a withdrawal gives the seat to the first in line', async () => {
    const name = await newActivity(1);
    expect((await signUp(name, 'seated@mergington.edu')).status).toBe(200);
    expect(await signUp(name, 'waiting@mergington.edu')).toMatchObject({
      status: 200,
      body: {
        message: `Added waiting@mergington.edu to the waitlist for ${name} (position 1)`,
        waitlist_position: 1,
      },
    });
    expect((await catalogue()).body[name].participants).toEqual(['seated@mergington.edu']);
    expect((await unregister(name, 'seated@mergington.edu')).status).toBe(200);
    expect((await catalogue()).body[name].participants).toEqual(['waiting@mergington.edu']);
  });

  it('takes 50 signups at once for 10 seats: 10 signed up, 40 waitlisted in positions 1-40, no 5xx', async () => {
    const name = await newActivity(10);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signUp(name, `teachers.rush${i}@mergington.edu`)),
    );
    expect(answers.map((a) => a.status).filter((status) => status !== 200)).toEqual([]);
    expect(answers.filter((a) => a.body.message.startsWith('Signed up'))).toHaveLength(10);
    expect(
      answers
        .map((a) => a.body.waitlist_position)
        .filter(Boolean)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await catalogue()).body[name].participants).toHaveLength(10);
    expect(await sql(`select enrolled_count, waitlist_count from activity where name = ?`, [name])).toEqual([
      { enrolled_count: 10, waitlist_count: 40 },
    ]);
  });
});

describe('an API restart', () => {
  it(
    'keeps the teacher’s session and every signup made through the old endpoints',
    { timeout: 180_000 },
    async () => {
      const output: string[] = [];
      const start = () =>
        startApiProcess(databaseUrl, { LEGACY_API: 'teachers' }, (chunk) => output.push(chunk));
      let api = await start();
      onTestFinished(async () => {
        api.stop();
        await api.exited;
      });
      const { cookie } = await logIn('principal', 'admin789', api.origin);
      const headers = { cookie, origin: api.origin };
      expect(
        (
          await oldCall(
            api.origin,
            'POST',
            activityPath('Math Club', 'signup'),
            { email: 'restart@mergington.edu' },
            headers,
          )
        ).status,
      ).toBe(200);
      api.stop();
      expect(await api.exited).toBe(0);

      api = await start();
      expect((await oldCall(api.origin, 'GET', '/auth/check-session', {}, { cookie })).body.username).toBe(
        'principal',
      );
      expect(
        (await oldCall(api.origin, 'GET', '/activities', {}, { cookie })).body['Math Club'].participants,
      ).toContain('restart@mergington.edu');
      // Only open mode warns at start.
      expect(output.join('')).not.toMatch(/LEGACY_API=open/);
    },
  );
});
