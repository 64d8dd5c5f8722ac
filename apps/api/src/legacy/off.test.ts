import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { readApiEnv } from '../env.ts';
import { startTestServer } from '../testing.ts';
import { activityPath, oldCall } from './testing.ts';

// LEGACY_API=off, the default: the old app's endpoints do not exist. A program calling one is told 404 (not
// handed the web app's page), a signup through them changes nothing, and the old pages are not served.
const { orm } = await useTestDatabase();
await seedSampleData(orm);
const folder = await mkdtemp(join(tmpdir(), 'mergington-off-'));
await writeFile(join(folder, 'index.html'), '<title>our app</title>');
const base = await startTestServer(orm, {
  webDist: folder,
  legacy: { mode: readApiEnv({}).LEGACY_API, staticDir: folder },
});
const sql = (text: string) => orm.em.fork().getConnection().execute(text);

describe('LEGACY_API=off (the default)', () => {
  it('is the default', () => {
    expect(readApiEnv({}).LEGACY_API).toBe('off');
  });

  it.each([
    ['GET', '/activities', {}],
    ['GET', '/activities/', {}],
    ['GET', '/activities/days', {}],
    ['POST', activityPath('Chess Club', 'signup'), { email: 'off@mergington.edu' }],
    ['DELETE', activityPath('Chess Club', 'unregister'), { email: 'michael@mergington.edu' }],
    ['POST', activityPath('Chess Club', 'unregister'), { email: 'michael@mergington.edu' }],
    ['POST', '/auth/login', { username: 'principal', password: 'admin789' }],
    ['POST', '/auth/logout', {}],
    ['GET', '/auth/check-session', { username: 'principal' }],
    ['GET', '/static/index.html', {}],
  ])('%s %s is a 404', async (method, path, query) => {
    const answer = await oldCall(base, method, path, query);
    expect(answer).toMatchObject({ status: 404, body: { error: 'not found' } });
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('changes nothing through them', async () => {
    expect(await sql(`select id from student where email = 'off@mergington.edu'`)).toEqual([]);
    expect(
      await sql(
        `select count(*)::int as n from activity_participant p join student s on s.id = p.student_id
          where s.email = 'michael@mergington.edu'`,
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('leaves / and the web app’s routes to the web app (no redirect to the old pages)', async () => {
    for (const path of ['/', '/activities/1']) {
      const answer = await oldCall(base, 'GET', path, {}, { accept: 'text/html' });
      expect(answer, path).toMatchObject({ status: 200, body: '<title>our app</title>' });
    }
  });
});
