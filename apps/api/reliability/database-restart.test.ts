import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createDatabaseIfMissing, type EmbeddedDatabase, startEmbeddedPostgres } from '@mergington/db';
import { LoadClient, type Reply, seatInvariantViolations, seedLoadData } from '../bench/load-client.ts';
import { freePort } from '@mergington/db/testing/ports';
import { startApiProcess } from '../src/process.ts';

// A PostgreSQL of this test's own, so that it can be stopped and started under the API.
const dataDir = await mkdtemp(join(tmpdir(), 'mergington-restart-pg-'));
const port = await freePort();
let server: EmbeddedDatabase = await startEmbeddedPostgres(dataDir, port);
const url = `${server.serverUrl}/mergington`;
afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const CLIENTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('database restart during load', () => {
  it('answers SERVICE_UNAVAILABLE while PostgreSQL is down and serves again within 5 s of its return', async () => {
    await createDatabaseIfMissing(url);
    let log = '';
    const api = await startApiProcess(
      url,
      { DB_POOL_MAX: '8', DB_CONNECT_TIMEOUT_MS: '1000' },
      (chunk) => (log += chunk),
    );
    onTestFinished(async () => {
      api.stop();
      await api.exited;
    });
    const { activityIds, students } = await seedLoadData(url, {
      activities: 5,
      capacity: 50,
      students: 5_000,
    });
    const client = new LoadClient(api.origin, CLIENTS);

    const replies: (Reply & { at: number; signup?: { studentId: number; activityId: number } })[] = [];
    const readiness: { at: number; status: number }[] = [];
    const started = performance.now();
    const now = () => performance.now() - started;
    let stopped = false;
    let next = 0;
    const load = Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (!stopped) {
          const at = now();
          if (Math.random() < 0.2 && next < students.length) {
            const student = students[next++]!;
            const activityId = activityIds[student.id % activityIds.length]!;
            const reply = await client.call(
              'signups.join',
              { activityId },
              { mutation: true, token: student.token },
            );
            replies.push({ ...reply, at, signup: { studentId: student.id, activityId } });
          } else {
            replies.push({ ...(await client.call('activities.list', { pageSize: 20 })), at });
          }
        }
      }),
    );
    const probe = (async () => {
      while (!stopped) {
        const at = now();
        readiness.push({ at, status: (await client.send('GET', '/readyz')).status });
        await sleep(100);
      }
    })();

    await sleep(1_000);
    const stopAt = now();
    await server.stop(); // fast shutdown: open transactions roll back, connections close
    const downAt = now();
    await sleep(2_000);
    const restartAt = now();
    server = await startEmbeddedPostgres(dataDir, port);
    const upAt = now();
    await sleep(6_500);
    stopped = true;
    await Promise.all([load, probe]);
    client.close();

    const during = replies.filter((r) => r.at >= downAt && r.at + r.ms <= restartAt);
    const firstOk = replies
      .filter((r) => r.at >= upAt && r.status === 200)
      .sort((a, b) => a.at + a.ms - (b.at + b.ms))[0];
    const recoveredMs = firstOk ? firstOk.at + firstOk.ms - upAt : Infinity;
    const afterRecovery = replies.filter((r) => r.at > upAt + 5_000);
    const byOutcome = new Map<string, number>();
    for (const r of replies) {
      const key = r.status === 200 ? '200' : `${r.status} ${r.code}`;
      byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
    }
    const readyRecoveredAt = readiness.find((r) => r.at >= upAt && r.status === 200)?.at;
    const acknowledged = replies.filter((r) => r.signup && r.status === 200).map((r) => r.signup!);
    const violations = await seatInvariantViolations(url);
    const { default: pg } = await import('pg');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const stored = new Set(
      (
        await db.query<{ k: string }>(
          `select student_id || '/' || activity_id as k from activity_participant`,
        )
      ).rows.map((row) => row.k),
    );
    await db.end();
    const lost = acknowledged.filter((a) => !stored.has(`${a.studentId}/${a.activityId}`));

    console.log(
      [
        'database restart during load (8 clients, 80% list reads, 20% signups):',
        `  PostgreSQL stop requested at ${stopAt.toFixed(0)} ms, down at ${downAt.toFixed(0)} ms, started again at ${restartAt.toFixed(0)}, accepting at ${upAt.toFixed(0)} ms`,
        `  replies by outcome: ${[...byOutcome].map(([k, v]) => `${k}: ${v}`).join(', ')}`,
        `  while down: ${during.length} replies, ${during.filter((r) => r.status === 503).length} of them 503 SERVICE_UNAVAILABLE, slowest ${Math.max(0, ...during.map((r) => r.ms)).toFixed(0)} ms`,
        `  first success ${recoveredMs.toFixed(0)} ms after PostgreSQL accepted connections; /readyz 200 again after ${readyRecoveredAt === undefined ? 'never' : (readyRecoveredAt - upAt).toFixed(0)} ms`,
        `  replies from 5 s after the return on: ${afterRecovery.length}, failed: ${afterRecovery.filter((r) => r.status !== 200).length}`,
        `  acknowledged signups: ${acknowledged.length}, missing: ${lost.length}; seat invariant violations: ${violations.length}`,
      ].join('\n'),
    );
    const failedCalls = log.split('\n').filter((line) => line.includes('"call failed"'));
    if (failedCalls.length) console.log(`API errors logged:\n${failedCalls.slice(0, 5).join('\n')}`);
    // Never a 500 or a dropped connection, never a stack trace: every failure is a plain 503.
    expect([...byOutcome.keys()].filter((k) => k !== '200' && k !== '503 SERVICE_UNAVAILABLE')).toEqual([]);
    expect(replies.filter((r) => /\bat .*\.(ts|js):\d+|"stack"/.test(r.body))).toEqual([]);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((r) => r.status === 503)).toBe(true);
    expect(readiness.some((r) => r.at > downAt && r.at < restartAt && r.status === 503)).toBe(true);
    expect(recoveredMs).toBeLessThan(5_000);
    expect(afterRecovery.length).toBeGreaterThan(0);
    expect(afterRecovery.every((r) => r.status === 200)).toBe(true);
    expect(lost).toEqual([]);
    expect(violations).toEqual([]);
  });
});
