import { afterAll, describe, expect, it } from 'vitest';
import { initORM, seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, startTestServer } from './testing.ts';

const { orm } = await useTestDatabase();
await seedSampleData(orm);

describe('the API server', () => {
  it('answers /healthz and /readyz while the database answers', async () => {
    const base = await startTestServer(orm);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
  });

  it('reports not ready, but alive, when the database is unreachable', async () => {
    const deadOrm = await initORM(
      { url: 'postgres://postgres@127.0.0.1:1/nowhere', connectTimeoutMs: 500 },
      { connect: false },
    );
    afterAll(() => deadOrm.close());
    const base = await startTestServer(deadOrm);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'database unavailable' });
    // A procedure says so plainly, as a 503.
    await expect(callerFor(deadOrm).activities.list({})).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the database is unavailable or too slow right now: try again shortly',
    });
    const list = await fetch(`${base}/trpc/activities.list?input=${encodeURIComponent('{"json":{}}')}`);
    expect(list.status).toBe(503);
  });
});

describe('activities.list', () => {
  it('lists the seeded activities by name with their free seats', async () => {
    const page = await callerFor(orm).activities.list({});
    expect(page.total).toBe(12);
    expect(page.items[0]).toMatchObject({
      name: 'Art Club',
      spotsLeft: 13,
      enrolledCount: 2,
      waitlistCount: 0,
    });
    expect(page.items.find((activity) => activity.name === 'Chess Club')).toMatchObject({
      scheduleDays: ['monday', 'friday'],
      startTime: '15:15',
      endTime: '16:45',
      category: 'Academic',
    });
  });
});
