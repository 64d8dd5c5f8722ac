import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { LoadClient, type Reply, seatInvariantViolations, seedLoadData } from '../bench/load-client.ts';
import { freePort } from '@mergington/db/testing/ports';
import { startApiProcess } from '../src/process.ts';

/** Debian's pgbouncer package puts it in /usr/sbin, which a non-root PATH may lack. */
function findPgBouncer(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir && existsSync(join(dir, 'pgbouncer'))) return join(dir, 'pgbouncer');
  }
  return undefined;
}

const binary = findPgBouncer();
if (!binary)
  console.log('pgbouncer: skipped, no pgbouncer binary (apt-get install pgbouncer; CI installs it)');

const CAPACITY = 30;
const SERVER_CONNECTIONS = 4;

describe.skipIf(!binary)('two API instances through PgBouncer in transaction mode', async () => {
  const { orm, url } = await useTestDatabase();
  afterAll(() => orm.close());

  /** PgBouncer in front of the test database: transaction pooling, 4 server connections at most. */
  async function startPgBouncer(): Promise<{ url: string; process: ChildProcess }> {
    const backend = new URL(url);
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'mergington-pgbouncer-'));
    chmodSync(dir, 0o755);
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'pgbouncer.ini');
    const server = [
      `host=${backend.hostname}`,
      `port=${backend.port || 5432}`,
      `user=${decodeURIComponent(backend.username)}`,
      backend.password ? `password=${decodeURIComponent(backend.password)}` : '',
    ].join(' ');
    writeFileSync(
      config,
      [
        '[databases]',
        `* = ${server}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(dir, 'users.txt')}`,
        'pool_mode = transaction',
        `default_pool_size = ${SERVER_CONNECTIONS}`,
        'max_client_conn = 500',
        // No ignore_startup_parameters: a client that sends session settings (statement_timeout) is refused.
      ].join('\n'),
    );
    // With trust, PgBouncer still wants to know the user.
    writeFileSync(join(dir, 'users.txt'), `"${decodeURIComponent(backend.username)}" ""\n`);
    // PgBouncer refuses to run as root; -u drops to an ordinary user.
    const args = process.getuid?.() === 0 ? ['-u', 'nobody', config] : [config];
    const child = spawn(binary!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk));
    onTestFinished(() => void child.kill('SIGTERM'));
    const through = new URL(url);
    through.port = String(port);
    for (let waited = 0; waited < 10_000; waited += 100) {
      const client = new pg.Client({ connectionString: through.toString() });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('select 1');
        return { url: through.toString(), process: child };
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        await client.end().catch(() => {});
      }
    }
    throw new Error(`pgbouncer did not start: ${log.split('\n').slice(-5).join('\n')}`);
  }

  it('signs up concurrently without overbooking or duplicates, and withdraws and promotes', async () => {
    const version = execFileSync(binary!, ['--version'], { encoding: 'utf8' }).split('\n')[0];
    // Backends started from here on are PgBouncer's (this file's own connections are older).
    const watcher = new pg.Client({ connectionString: url, application_name: 'watcher' });
    await watcher.connect();
    const since = (await watcher.query<{ now: Date }>('select now()')).rows[0]!.now;
    const bouncer = await startPgBouncer();
    // Why DB_STATEMENT_TIMEOUT_MS=0 behind it: PgBouncer refuses a statement_timeout start-up parameter.
    const withTimeout = new pg.Client({ connectionString: bouncer.url, statement_timeout: 1_000 });
    withTimeout.on('error', () => {});
    const refused = await withTimeout.connect().then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    await withTimeout.end().catch(() => {});
    const { activityIds, students } = await seedLoadData(url, {
      activities: 2,
      capacity: CAPACITY,
      students: 150,
    });
    // Statement timeouts come from the server's role or database settings behind PgBouncer, not from a
    // start-up parameter (DB_STATEMENT_TIMEOUT_MS=0); PgBouncer 1.18 cannot follow named prepared
    // statements from one server connection to the next (DB_PREPARED_STATEMENTS=false).
    const env = { DB_STATEMENT_TIMEOUT_MS: '0', DB_POOL_MAX: '10', DB_PREPARED_STATEMENTS: 'false' };
    const apis = await Promise.all([startApiProcess(bouncer.url, env), startApiProcess(bouncer.url, env)]);
    onTestFinished(async () => {
      apis.forEach((api) => api.stop());
      await Promise.all(apis.map((api) => api.exited));
    });
    const clients = apis.map((api) => new LoadClient(api.origin, 10));

    // How many server connections PostgreSQL sees meanwhile.
    let maxServerConnections = 0;
    let watching = true;
    const database = new URL(url).pathname.slice(1);
    const watch = (async () => {
      while (watching) {
        const { rows } = await watcher.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity where datname = $1 and backend_start >= $2 and pid <> pg_backend_pid()`,
          [database, since],
        );
        maxServerConnections = Math.max(maxServerConnections, Number(rows[0]!.n));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // Every student signs up for both activities twice at once, once through each instance.
    const joins = await Promise.all(
      students.flatMap((student) =>
        activityIds.flatMap((activityId) =>
          clients.map(async (client) => ({
            student,
            activityId,
            reply: await client.call(
              'signups.join',
              { activityId },
              { mutation: true, token: student.token },
            ),
          })),
        ),
      ),
    );
    // Then half of them withdraw from the first activity (a transaction of several statements).
    const leavers = students.filter((_, i) => i % 2 === 0);
    const leaves = await Promise.all(
      leavers.map((student, i) =>
        clients[i % 2]!.call(
          'signups.leave',
          { activityId: activityIds[0] },
          { mutation: true, token: student.token },
        ),
      ),
    );
    watching = false;
    await watch;
    await watcher.end();
    clients.forEach((client) => client.close());

    const outcomes = (replies: Reply[]) => {
      const counts = new Map<string, number>();
      for (const r of replies)
        counts.set(`${r.status} ${r.code ?? 'OK'}`, (counts.get(`${r.status} ${r.code ?? 'OK'}`) ?? 0) + 1);
      return [...counts].map(([k, v]) => `${k}: ${v}`).join(', ');
    };
    const perPair = new Map<string, number>();
    for (const { student, activityId, reply } of joins) {
      if (reply.status === 200)
        perPair.set(`${student.id}/${activityId}`, (perPair.get(`${student.id}/${activityId}`) ?? 0) + 1);
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ activity_id: number; enrolled: string; waiting: string; max: number }>(
      `select a.id as activity_id, a.max_participants as max,
              count(p.id) filter (where p.status = 'enrolled') as enrolled,
              count(p.id) filter (where p.status = 'waitlisted') as waiting
         from activity a left join activity_participant p on p.activity_id = a.id
        where a.id = any($1) group by a.id order by a.id`,
      [activityIds],
    );
    await db.end();
    const violations = await seatInvariantViolations(url);

    console.log(
      [
        `pgbouncer (${version}, transaction pooling, ${SERVER_CONNECTIONS} server connections) in front of two API instances with pools of 10:`,
        `  ${joins.length} concurrent signups (each student twice per activity, once per instance): ${outcomes(joins.map((j) => j.reply))}`,
        `  ${leaves.length} withdrawals: ${outcomes(leaves)}`,
        `  per activity (enrolled/waitlisted of ${CAPACITY} seats): ${rows.map((r) => `${r.enrolled}/${r.waiting}`).join(', ')}`,
        `  a connection sending statement_timeout as a start-up parameter: ${refused}`,
        `  most server connections seen: ${maxServerConnections}; seat invariant violations: ${violations.length}`,
      ].join('\n'),
    );
    // Exactly one of each pair of concurrent signups succeeded; the other was refused as a duplicate.
    expect([...perPair.values()].every((n) => n === 1)).toBe(true);
    expect(perPair.size).toBe(students.length * activityIds.length);
    expect(joins.filter((j) => j.reply.status !== 200).every((j) => j.reply.code === 'CONFLICT')).toBe(true);
    expect(leaves.every((r) => r.status === 200)).toBe(true);
    // No overbooking; the freed seats went to the waitlist.
    expect(rows.map((r) => [Number(r.enrolled), Number(r.waiting)])).toEqual([
      [CAPACITY, students.length - leavers.length - CAPACITY],
      [CAPACITY, students.length - CAPACITY],
    ]);
    expect(violations).toEqual([]);
    expect(refused).toMatch(/unsupported startup parameter: statement_timeout/);
    expect(maxServerConnections).toBeLessThanOrEqual(SERVER_CONNECTIONS);
  });
});
