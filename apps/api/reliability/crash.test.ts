import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { LoadClient, seatInvariantViolations, seedLoadData } from '../bench/load-client.ts';
import { type ApiProcess, startApiProcess } from '../src/process.ts';

const { orm, url } = await useTestDatabase();
afterAll(() => orm.close());

const CLIENTS = 16;
const STUDENTS = 4_000;
const CAPACITY = 40; // per activity: the load fills the seats and builds waitlists

interface Acknowledged {
  studentId: number;
  activityId: number;
  status: 'enrolled' | 'waitlisted';
  waitlistPosition: number | null;
}

describe('crash of the API during a signup load', () => {
  it('keeps every acknowledged signup, half-writes nothing and keeps waitlist positions after kill -9', async () => {
    const { activityIds, students } = await seedLoadData(url, {
      activities: 3,
      capacity: CAPACITY,
      students: STUDENTS,
    });
    const acknowledged: Acknowledged[] = [];
    /** Sent, but the connection died before the answer: the outcome is unknown to the client. */
    const unanswered: { studentId: number; activityId: number }[] = [];
    const otherFailures: string[] = [];
    let next = 0;

    /** CLIENTS loops of signups, each student once, until `until` says stop or the API dies. */
    async function signupLoad(client: LoadClient, until: () => boolean) {
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (!until() && next < students.length) {
            const student = students[next++]!;
            const activityId = activityIds[student.id % activityIds.length]!;
            const reply = await client.call(
              'signups.join',
              { activityId },
              { mutation: true, token: student.token },
            );
            if (reply.status === 200) {
              const { status, waitlistPosition } = JSON.parse(reply.body).result.data.json;
              acknowledged.push({ studentId: student.id, activityId, status, waitlistPosition });
            } else if (reply.status === 0) {
              unanswered.push({ studentId: student.id, activityId });
              return; // the API is gone
            } else otherFailures.push(`${reply.status} ${reply.code}`);
          }
        }),
      );
    }

    let api: ApiProcess = await startApiProcess(url, { DB_POOL_MAX: '8' });
    const client = new LoadClient(api.origin, CLIENTS);
    let killed = false;
    const firstRun = signupLoad(client, () => killed);
    // Kill it in the middle of the load, with requests in flight.
    while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 10));
    process.kill(api.pid, 'SIGKILL');
    killed = true;
    await firstRun;
    expect(await api.exited).toBe(null); // killed by the signal, not exited
    const ackedBeforeKill = acknowledged.length;

    const restartStarted = performance.now();
    api = await startApiProcess(url, { DB_POOL_MAX: '8' });
    const restartMs = performance.now() - restartStarted;
    client.reset(api.origin);
    const secondRunEnds = performance.now() + 2_000;
    await signupLoad(client, () => performance.now() > secondRunEnds);
    api.stop();
    await api.exited;
    client.close();

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{
      student_id: number;
      activity_id: number;
      status: string;
      position: string | null;
    }>(
      `select student_id, activity_id, status,
              case when status = 'waitlisted'
                   then row_number() over (partition by activity_id, status order by id) end as position
         from activity_participant where activity_id = any($1)`,
      [activityIds],
    );
    await db.end();
    const stored = new Map(rows.map((row) => [`${row.student_id}/${row.activity_id}`, row]));

    const lost = acknowledged.filter((a) => !stored.has(`${a.studentId}/${a.activityId}`));
    const statusChanged = acknowledged.filter(
      (a) => stored.get(`${a.studentId}/${a.activityId}`)?.status !== a.status,
    );
    const positionMoved = acknowledged.filter(
      (a) =>
        a.status === 'waitlisted' &&
        Number(stored.get(`${a.studentId}/${a.activityId}`)?.position) !== a.waitlistPosition,
    );
    const unansweredCommitted = unanswered.filter((u) => stored.has(`${u.studentId}/${u.activityId}`)).length;
    const violations = await seatInvariantViolations(url);
    const waitlisted = acknowledged.filter((a) => a.status === 'waitlisted').length;

    console.log(
      [
        'crash (kill -9 of the API during a signup load):',
        `  acknowledged before the kill: ${ackedBeforeKill}; in flight at the kill (no answer): ${unanswered.length}, of which committed: ${unansweredCommitted}`,
        `  restart until /readyz: ${restartMs.toFixed(0)} ms; acknowledged after the restart: ${acknowledged.length - ackedBeforeKill}`,
        `  rows now: ${rows.length} = acknowledged ${acknowledged.length} + unanswered but committed ${unansweredCommitted}`,
        `  acknowledged but missing: ${lost.length}; status changed: ${statusChanged.length}; waitlist position moved: ${positionMoved.length} of ${waitlisted} waitlisted`,
        `  seat counter / duplicate / overbooking violations: ${violations.length}; other failures: ${otherFailures.length}`,
      ].join('\n'),
    );
    expect(lost).toEqual([]);
    expect(statusChanged).toEqual([]);
    expect(positionMoved).toEqual([]);
    expect(violations).toEqual([]);
    expect(otherFailures).toEqual([]);
    expect(rows.length).toBe(acknowledged.length + unansweredCommitted);
    expect(waitlisted).toBeGreaterThan(0); // the load did build waitlists
  });
});
