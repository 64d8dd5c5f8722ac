import pg from 'pg';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { LoadClient, percentile, seatInvariantViolations, seedLoadData } from '../bench/load-client.ts';
import { startApiProcess } from '../src/process.ts';

const { orm, url } = await useTestDatabase();
afterAll(() => orm.close());

const REQUESTS = 500;
const ACQUIRE_TIMEOUT_MS = 2_000;
const LOCK_HELD_MS = 4_000;

describe('pool exhaustion', () => {
  it('finishes or clearly times out each of 500 concurrent requests on a pool of 5, and none hangs', async () => {
    const { activityIds, students } = await seedLoadData(url, {
      activities: 2,
      capacity: 1_000,
      students: REQUESTS,
    });
    const api = await startApiProcess(url, {
      DB_POOL_MAX: '5',
      DB_POOL_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    });
    onTestFinished(async () => {
      api.stop();
      await api.exited;
    });
    // Hold the lock of the hot activity, so that the signups for it keep their connections busy: the
    // pool of 5 is exhausted for as long as the lock is held.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('select 1 from activity where id = $1 for update', [activityIds[0]]);
    const release = setTimeout(() => void locker.query('commit'), LOCK_HELD_MS);

    // Every request on its own socket, all at once: half signups for the locked activity, half reads.
    const client = new LoadClient(api.origin, REQUESTS, 60_000);
    const started = performance.now();
    const replies = await Promise.all(
      students.map((student, i) =>
        i % 2 === 0
          ? client.call(
              'signups.join',
              { activityId: activityIds[0] },
              { mutation: true, token: student.token },
            )
          : client.call('activities.list', { pageSize: 20 }),
      ),
    );
    const wallMs = performance.now() - started;
    clearTimeout(release);
    await locker.query('commit').catch(() => {});
    await locker.end();
    // The pool is whole again afterwards.
    const after = await client.call('activities.list', { pageSize: 20 });
    client.close();

    const outcomes = new Map<string, number>();
    for (const reply of replies) {
      const message =
        reply.status === 200 ? '' : ` "${JSON.parse(reply.body || '{}').error?.json?.message ?? reply.code}"`;
      const key = `${reply.status} ${reply.code ?? 'OK'}${message}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const latencies = replies.map((r) => r.ms).sort((a, b) => a - b);
    const acknowledged = replies.filter((r, i) => i % 2 === 0 && r.status === 200).length;
    const counter = new pg.Client({ connectionString: url });
    await counter.connect();
    const stored = Number(
      (
        await counter.query('select count(*) as n from activity_participant where activity_id = $1', [
          activityIds[0],
        ])
      ).rows[0].n,
    );
    await counter.end();
    const violations = await seatInvariantViolations(url);

    console.log(
      [
        `pool exhaustion: ${REQUESTS} concurrent requests, DB_POOL_MAX=5, acquire timeout ${ACQUIRE_TIMEOUT_MS} ms, hot activity locked for ${LOCK_HELD_MS} ms:`,
        ...[...outcomes].map(([k, v]) => `  ${v} x ${k}`),
        `  all settled after ${wallMs.toFixed(0)} ms; latency p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`,
        `  signups acknowledged ${acknowledged}, stored ${stored}; next request after the storm: ${after.status}`,
      ].join('\n'),
    );
    // Each request finished or failed with the clear pool timeout; none hung or lost its connection.
    for (const key of outcomes.keys()) {
      expect(key).toMatch(
        /^200 OK$|^503 SERVICE_UNAVAILABLE "the server is busy: no database connection came free in time/,
      );
    }
    expect(outcomes.size).toBe(2); // both outcomes happened: the pool really ran out
    expect(latencies.at(-1)!).toBeLessThan(LOCK_HELD_MS + 10_000);
    expect(stored).toBe(acknowledged);
    expect(violations).toEqual([]);
    expect(after.status).toBe(200);
  });
});
