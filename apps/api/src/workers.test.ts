import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { type ApiProcess, startApiProcess } from './process.ts';
import { createTestStudent, holdActivityLock } from './testing.ts';

// API_WORKERS=2: one port served by two processes of node:cluster, as production runs on two cores.
const { orm, url: databaseUrl } = await useTestDatabase();
const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(text, params);
const patiently = { timeout: 20_000, interval: 50 };

async function startWorkers() {
  // A statement timeout longer than the test's waits: the signup held on a lock must outlive a slow shutdown
  // on a loaded machine rather than be cancelled (a 503) by the default 15 s.
  const api = await startApiProcess(databaseUrl, {
    API_WORKERS: '2',
    LOG_LEVEL: 'error',
    DB_STATEMENT_TIMEOUT_MS: '60000',
  });
  onTestFinished(async () => {
    api.stop();
    await api.exited;
  });
  return api;
}

/** /healthz on a connection of its own: the cluster hands out connections, not requests. */
function healthOnNewConnection(origin: string): Promise<{ status: string; worker?: number }> {
  return new Promise((resolve, reject) => {
    // A connection the stopping cluster takes but never serves counts as refused after 2 s.
    request(`${origin}/healthz`, { agent: false, timeout: 2_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => resolve(JSON.parse(body)));
    })
      .on('timeout', function (this: { destroy(error: Error): void }) {
        this.destroy(new Error('no answer within 2 s'));
      })
      .on('error', reject)
      .end();
  });
}

async function workersAnswering(origin: string): Promise<number[]> {
  const answers = await Promise.all(Array.from({ length: 8 }, () => healthOnNewConnection(origin)));
  return [...new Set(answers.map((answer) => answer.worker!))].sort((a, b) => a - b);
}

/** The primary's worker processes (not tsx's esbuild helper). */
function workerPids(api: ApiProcess): number[] {
  let children = '';
  try {
    children = execFileSync('ps', ['--ppid', String(api.pid), '-o', 'pid=,args=']).toString();
  } catch {
    return []; // ps exits 1 when it finds none
  }
  return children
    .split('\n')
    .filter((line) => line.includes('/main.'))
    .map((line) => Number.parseInt(line, 10));
}

describe('API_WORKERS=2', () => {
  it('answers from two worker processes on one port, and replaces one that is killed', async () => {
    const api = await startWorkers();
    // The port answers as soon as one worker listens; the other follows.
    await expect.poll(() => workersAnswering(api.origin), patiently).toEqual([1, 2]);
    const [doomed, survivor] = workerPids(api);
    expect([doomed, survivor].every((pid) => pid! > 0 && pid !== api.pid)).toBe(true);

    process.kill(doomed!, 'SIGKILL');
    // The primary forks a third worker in its place; the port keeps answering throughout.
    await expect.poll(() => workerPids(api).sort(), patiently).toEqual([survivor!, expect.any(Number)]);
    expect(workerPids(api)).not.toContain(doomed);
    await expect.poll(() => workersAnswering(api.origin), patiently).toEqual([2, 3]);
    expect((await fetch(`${api.origin}/readyz`)).status).toBe(200);
  });

  it('lets the kernel queue 4096 connections, not 511, while signups open', async () => {
    const api = await startWorkers();
    // A listening socket's Send-Q in ss is its backlog; the primary holds the one socket the workers share.
    const listening = execFileSync('ss', ['-ltnH', `sport = :${new URL(api.origin).port}`]).toString();
    expect(listening.trim().split(/\s+/)[2]).toBe('4096');
  });

  it('on SIGTERM to the primary, finishes the request in flight, then exits 0', async () => {
    const api = await startWorkers();
    const [activity] = (await sql(
      `insert into activity (name, max_participants) values ('Worker Club', 5) returning id`,
    )) as { id: number }[];
    const student = await createTestStudent(orm);
    // Hold the activity's lock so that the signup is still running when the signal comes.
    const lock = await holdActivityLock(orm, activity!.id);
    const inFlight = fetch(`${api.origin}/trpc/signups.join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${student.token}` },
      body: JSON.stringify({ json: { activityId: activity!.id } }),
    });
    await lock.untilSomeoneWaits();
    api.stop();
    // Both workers stop accepting (the port refuses) while the signup still waits...
    const accepting = () =>
      healthOnNewConnection(api.origin).then(
        () => 'accepting',
        () => 'refusing',
      );
    await expect.poll(accepting, patiently).toBe('refusing');
    // ...and, the lock released, it is answered before the primary exits cleanly.
    await lock.release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as any).result.data.json.status).toBe('enrolled');
    expect(await api.exited).toBe(0);
    expect(workerPids(api)).toEqual([]);
  });
});
