import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addParticipantByEmail } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { startApiProcess } from '../process.ts';
import { startTestServer } from '../testing.ts';
import { activityPath, importOldActivities, oldActivities, oldCall } from './testing.ts';

// LEGACY_API=open over real HTTP, on the first old app's own sample data (loaded by the importer): what its
// pytest suite checked (paths, status codes, `detail` wording), and what it never could (a restart keeps
// every signup, 50 signups at once for 10 seats enrol exactly 10).
const { orm, url: databaseUrl } = await useTestDatabase({ poolMax: 20 });
await importOldActivities(orm, 'mergington-v1');
const base = await startTestServer(orm, { legacy: { mode: 'open', rateLimit: 100_000 } });
const sql = <T>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

const get = (path: string, query?: Record<string, string>) => oldCall(base, 'GET', path, query);
const signUp = (name: string, email: string, origin = base) =>
  oldCall(origin, 'POST', activityPath(name, 'signup'), { email });
const unregister = (name: string, email: string, method = 'DELETE') =>
  oldCall(base, method, activityPath(name, 'unregister'), { email });
const participantsOf = async (name: string) => (await get('/activities')).body[name].participants;

async function newActivity(maxParticipants: number, allowedGrades: number[] | null = null) {
  const name = `Open Club ${Math.random().toString(36).slice(2, 8)}`;
  await sql(`insert into activity (name, max_participants, allowed_grades) values (?, ?, ?)`, [
    name,
    maxParticipants,
    // A PostgreSQL array literal: a JavaScript array would be sent as a list of values.
    allowedGrades && `{${allowedGrades.join(',')}}`,
  ]);
  return name;
}

describe('GET /activities', () => {
  it('answers the old app’s own file, as it was imported: every activity keyed by name', async () => {
    const answer = await get('/activities');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.body).toEqual(oldActivities('mergington-v1'));
    expect(answer.body['Chess Club'].participants).toEqual([
      'michael@mergington.edu',
      'daniel@mergington.edu',
    ]);
  });

  it('answers at /activities/ too (the later pages asked there) and lists no days without schedules', async () => {
    expect((await get('/activities/')).body).toEqual((await get('/activities')).body);
    expect(await get('/activities/days')).toMatchObject({ status: 200, body: [] });
  });
});

describe('POST /activities/{name}/signup', () => {
  it('signs up, in the old words, and lists the student last', async () => {
    const answer = await signUp('Chess Club', 'newstudent@mergington.edu');
    expect(answer).toMatchObject({
      status: 200,
      body: { message: 'Signed up newstudent@mergington.edu for Chess Club' },
    });
    expect(await participantsOf('Chess Club')).toEqual([
      'michael@mergington.edu',
      'daniel@mergington.edu',
      'newstudent@mergington.edu',
    ]);
  });

  it('creates an unknown email’s student as the importer does (a name from the email, no grade)', async () => {
    await signUp('Gym Class', 'ada.lovelace@mergington.edu');
    expect(
      await sql(`select name, grade, password_hash from student where email = 'ada.lovelace@mergington.edu'`),
    ).toEqual([{ name: 'Ada Lovelace', grade: null, password_hash: null }]);
  });

  it('makes one student of a new email signed up for several activities at once (no 409, no 5xx)', async () => {
    const names = await Promise.all(Array.from({ length: 8 }, () => newActivity(5)));
    const answers = await Promise.all(names.map((name) => signUp(name, 'everywhere@mergington.edu')));
    expect(answers.map((a) => a.status)).toEqual(names.map(() => 200));
    expect(
      await sql(
        `select count(distinct s.id)::int as students, count(p.id)::int as signups
           from student s join activity_participant p on p.student_id = s.id
          where s.email = 'everywhere@mergington.edu'`,
      ),
    ).toEqual([{ students: 1, signups: 8 }]);
  });

  it('refuses a second signup, however the email is written: 400 "Student is already signed up"', async () => {
    for (const email of ['michael@mergington.edu', '  Michael@Mergington.EDU ']) {
      expect(await signUp('Chess Club', email)).toMatchObject({
        status: 400,
        body: { detail: 'Student is already signed up' },
      });
    }
    expect(
      (await participantsOf('Chess Club')).filter((e: string) => e === 'michael@mergington.edu'),
    ).toHaveLength(1);
  });

  it('answers 404 "Activity not found" for a name that is not an activity', async () => {
    expect(await signUp('Unknown Club', 'student@mergington.edu')).toMatchObject({
      status: 404,
      body: { detail: 'Activity not found' },
    });
    // A name no activity could have (a NUL, a malformed escape, too long) is refused, never a 5xx.
    for (const path of [
      '/activities/%00/signup',
      '/activities/%E0%A4%A/signup',
      `/activities/${'x'.repeat(5000)}/signup`,
    ]) {
      const answer = await oldCall(base, 'POST', path, { email: 'student@mergington.edu' });
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
    }
    // Names are matched exactly, as the old app's dictionary keys were.
    expect((await signUp('chess club', 'student@mergington.edu')).status).toBe(404);
  });

  it('decodes the name in the path (%20, and characters the old pages escaped)', async () => {
    const name = await newActivity(5);
    const odd = `${name} & Co/2`;
    await sql(`update activity set name = ? where name = ?`, [odd, name]);
    const answer = await oldCall(base, 'POST', `/activities/${encodeURIComponent(odd)}/signup`, {
      email: 'decoded@mergington.edu',
    });
    expect(answer).toMatchObject({
      status: 200,
      body: { message: `Signed up decoded@mergington.edu for ${odd}` },
    });
  });

  it('answers FastAPI’s 422 for a missing or malformed email, and adds no one', async () => {
    const missing = await oldCall(base, 'POST', activityPath('Chess Club', 'signup'));
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([
      { type: 'missing', loc: ['query', 'email'], msg: 'Field required' },
    ]);
    for (const email of ['', 'not-an-email', 'a\u0000b@mergington.edu']) {
      const malformed = await signUp('Chess Club', email);
      expect(malformed.status, email).toBe(422);
      expect(malformed.body.detail[0].loc).toEqual(['query', 'email']);
    }
    expect(await participantsOf('Chess Club')).not.toContain('not-an-email');
  });

  it('refuses a full activity with 400 "Activity is full": no waitlist, no new student left behind', async () => {
    const name = await newActivity(1);
    expect((await signUp(name, 'first@mergington.edu')).status).toBe(200);
    expect(await signUp(name, 'second.newcomer@mergington.edu')).toMatchObject({
      status: 400,
      body: { detail: 'Activity is full' },
    });
    expect(await sql(`select id from student where email = 'second.newcomer@mergington.edu'`)).toEqual([]);
    expect(await participantsOf(name)).toEqual(['first@mergington.edu']);
  });

  it('keeps grade limits: a student the activity’s grades exclude is refused with the reason', async () => {
    const name = await newActivity(5, [12]);
    const answer = await signUp(name, 'nograde@mergington.edu');
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toMatch(/open to grades 12 only/);
  });

  it('takes 50 signups at once for 10 seats: exactly 10 signed up, 40 refused as full, no 5xx', async () => {
    const name = await newActivity(10);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signUp(name, `rush${i}@mergington.edu`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(10).fill(200), ...Array(40).fill(400)]);
    expect(answers.filter((a) => a.status === 400).every((a) => a.body.detail === 'Activity is full')).toBe(
      true,
    );
    const enrolled = answers.filter((a) => a.status === 200).map((a) => a.body.message.split(' ')[2]);
    expect((await participantsOf(name)).sort()).toEqual(enrolled.sort());
    expect(await sql(`select enrolled_count, waitlist_count from activity where name = ?`, [name])).toEqual([
      { enrolled_count: 10, waitlist_count: 0 },
    ]);
    // The refused 40 left no student behind.
    expect(await sql(`select count(*)::int as n from student where email like 'rush%'`)).toEqual([{ n: 10 }]);
  });
});

describe('DELETE /activities/{name}/unregister', () => {
  it('unregisters, in the old words, and the student is gone from the list', async () => {
    const answer = await unregister('Programming Class', 'emma@mergington.edu');
    expect(answer).toMatchObject({
      status: 200,
      body: { message: 'Unregistered emma@mergington.edu from Programming Class' },
    });
    expect(await participantsOf('Programming Class')).toEqual(['sophia@mergington.edu']);
  });

  it('answers 400 "Student is not registered for this activity", also for an empty email', async () => {
    for (const email of ['notregistered@mergington.edu', '', 'not an email']) {
      expect(await unregister('Chess Club', email), email).toMatchObject({
        status: 400,
        body: { detail: 'Student is not registered for this activity' },
      });
    }
  });

  it('answers 404 "Activity not found" first, and 422 without an email', async () => {
    expect(await unregister('Unknown Club', 'michael@mergington.edu')).toMatchObject({
      status: 404,
      body: { detail: 'Activity not found' },
    });
    expect((await oldCall(base, 'DELETE', activityPath('Chess Club', 'unregister'))).status).toBe(422);
  });

  it('is taken as a POST too (the later pages’ method), and a student can sign up again after', async () => {
    expect((await unregister('Gym Class', 'john@mergington.edu', 'POST')).status).toBe(200);
    expect(await participantsOf('Gym Class')).not.toContain('john@mergington.edu');
    expect((await signUp('Gym Class', 'john@mergington.edu')).status).toBe(200);
    expect((await participantsOf('Gym Class')).at(-1)).toBe('john@mergington.edu');
  });

  it('gives the freed seat to the first in line (someone the typed API waitlisted)', async () => {
    const name = await newActivity(1);
    await signUp(name, 'seated@mergington.edu');
    const [activity] = await sql<{ id: number }>(`select id from activity where name = ?`, [name]);
    const waiting = await addParticipantByEmail(orm.em.fork(), activity!.id, 'waiting@mergington.edu');
    expect(waiting.status).toBe('waitlisted');
    expect(await participantsOf(name)).toEqual(['seated@mergington.edu']);
    expect((await unregister(name, 'seated@mergington.edu')).status).toBe(200);
    expect(await participantsOf(name)).toEqual(['waiting@mergington.edu']);
  });
});

describe('the rest of the old surface', () => {
  it('answers 405 for a known path with the wrong method, and has no /auth endpoints in open mode', async () => {
    const wrong = await oldCall(base, 'GET', activityPath('Chess Club', 'signup'), {
      email: 'x@mergington.edu',
    });
    expect(wrong).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await oldCall(base, 'POST', '/auth/login', { username: 'a', password: 'b' })).status).toBe(404);
  });

  it('limits each client address to LEGACY_RATE_LIMIT requests a minute (429 with Retry-After)', async () => {
    const limited = await startTestServer(orm, { legacy: { mode: 'open', rateLimit: 3 } });
    for (let i = 0; i < 3; i++) expect((await oldCall(limited, 'GET', '/activities')).status).toBe(200);
    const refused = await oldCall(limited, 'POST', activityPath('Chess Club', 'signup'), {
      email: 'limited@mergington.edu',
    });
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/^Too many requests from this address: try again in \d+ s$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sql(`select id from student where email = 'limited@mergington.edu'`)).toEqual([]);
    // The typed API and the health checks are not counted.
    expect((await fetch(`${limited}/healthz`)).status).toBe(200);
  });

  it('without LEGACY_STATIC_DIR leaves / to the web app: no redirect', async () => {
    const root = await oldCall(base, 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.headers.get('location')).toBeNull();
  });

  it('with LEGACY_STATIC_DIR: / redirects (307) to the old pages at /static/, our app lives at /app/', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'mergington-legacy-'));
    await mkdir(join(folder, 'old'));
    await mkdir(join(folder, 'web/assets'), { recursive: true });
    await writeFile(join(folder, 'old/index.html'), '<title>Mergington High School</title>');
    await writeFile(join(folder, 'old/app.js'), 'fetch("/activities")');
    await writeFile(join(folder, 'web/index.html'), '<title>our app</title>');
    await writeFile(join(folder, 'web/assets/main.js'), 'our app’s script');
    const both = await startTestServer(orm, {
      webDist: join(folder, 'web'),
      legacy: { mode: 'open', staticDir: join(folder, 'old'), rateLimit: 1000 },
    });
    const page = { accept: 'text/html' };

    const root = await oldCall(both, 'GET', '/', {}, page);
    expect(root.status).toBe(307);
    expect(root.headers.get('location')).toBe('/static/index.html');
    const old = await oldCall(both, 'GET', '/static/index.html', {}, page);
    expect(old.body).toBe('<title>Mergington High School</title>');
    // The old pages set inline styles; scripts still come only from files.
    expect(old.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect(old.headers.get('content-security-policy')).not.toContain('script-src');
    expect((await oldCall(both, 'GET', '/static/app.js')).body).toBe('fetch("/activities")');
    expect((await oldCall(both, 'GET', '/static/missing.js')).status).toBe(404);
    // Our app: its page at /app/ and under it, its files where its build put them.
    for (const path of ['/app/', '/app/activities/1', '/app/news']) {
      expect((await oldCall(both, 'GET', path, {}, page)).body, path).toBe('<title>our app</title>');
    }
    expect((await oldCall(both, 'GET', '/assets/main.js')).body).toBe('our app’s script');
    // ...and the old endpoints beside them.
    expect((await oldCall(both, 'GET', '/activities')).body['Chess Club']).toBeDefined();
  });
});

describe('an API restart', () => {
  it(
    'keeps every signup and unregistration made through the old endpoints (the old app lost them all)',
    { timeout: 180_000 },
    async () => {
      const output: string[] = [];
      const start = () =>
        startApiProcess(databaseUrl, { LEGACY_API: 'open', LOG_LEVEL: 'warn' }, (chunk) =>
          output.push(chunk),
        );
      let api = await start();
      onTestFinished(async () => {
        api.stop();
        await api.exited;
      });
      expect(output.join('')).toMatch(
        /LEGACY_API=open: anyone who reaches this server may sign up or unregister/,
      );

      expect((await signUp('Chess Club', 'survivor@mergington.edu', api.origin)).status).toBe(200);
      expect(
        (
          await oldCall(api.origin, 'DELETE', activityPath('Chess Club', 'unregister'), {
            email: 'daniel@mergington.edu',
          })
        ).status,
      ).toBe(200);
      api.stop();
      expect(await api.exited).toBe(0);

      api = await start();
      const after = (await oldCall(api.origin, 'GET', '/activities')).body['Chess Club'].participants;
      expect(after).toContain('survivor@mergington.edu');
      expect(after).not.toContain('daniel@mergington.edu');
      expect(after[0]).toBe('michael@mergington.edu');
    },
  );
});
