// Load generation shared by the benchmarks (bench:api, bench:load) and the reliability suite: a light
// node:http client, the data a load needs, and latency percentiles.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { hashToken, initORM } from '@mergington/db';

export interface Reply {
  /** HTTP status; 0 when no response came (connection refused or reset, client timeout). */
  status: number;
  /** The tRPC error code of a failed call (`SERVICE_UNAVAILABLE`...), or the network error's code. */
  code?: string;
  body: string;
  ms: number;
}

/**
 * Keep-alive HTTP to one origin. (node:http is lighter than fetch, so the load generator takes less of
 * the CPU it shares with the API and PostgreSQL.)
 */
export class LoadClient {
  private agent: http.Agent;

  constructor(
    public origin: string,
    private maxSockets = 16,
    /** A request with no answer by then counts as hung (status 0, code `CLIENT_TIMEOUT`). */
    private timeoutMs = 60_000,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** A fresh agent: the server closes connections idle for 5 s, or was restarted. */
  reset(origin = this.origin): void {
    this.agent.destroy();
    this.origin = origin;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: this.maxSockets });
  }

  close(): void {
    this.agent.destroy();
  }

  /** A tRPC query (GET) or, with a body, a mutation (POST); a token is sent as a Bearer token. */
  call(
    procedure: string,
    input: unknown,
    { mutation = false, token }: { mutation?: boolean; token?: string } = {},
  ) {
    const json = JSON.stringify({ json: input });
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (mutation) {
      headers['content-type'] = 'application/json';
      return this.send('POST', `/trpc/${procedure}`, headers, json);
    }
    return this.send('GET', `/trpc/${procedure}?input=${encodeURIComponent(json)}`, headers);
  }

  send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
    const started = performance.now();
    return new Promise((resolve) => {
      const done = (status: number, text: string, code?: string) =>
        resolve({ status, code: code ?? errorCodeOf(text), body: text, ms: performance.now() - started });
      const request = http.request(
        `${this.origin}${path}`,
        { agent: this.agent, method, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(response.statusCode ?? 0, Buffer.concat(chunks).toString()));
          response.on('error', (error: NodeJS.ErrnoException) => done(0, '', error.code ?? 'ERROR'));
        },
      );
      request.setTimeout(this.timeoutMs, () =>
        request.destroy(Object.assign(new Error('timeout'), { code: 'CLIENT_TIMEOUT' })),
      );
      request.on('error', (error: NodeJS.ErrnoException) => done(0, '', error.code ?? 'ERROR'));
      request.end(body);
    });
  }
}

function errorCodeOf(body: string): string | undefined {
  if (!body.includes('"error"')) return undefined;
  try {
    return (JSON.parse(body) as { error?: { json?: { data?: { code?: string } } } }).error?.json?.data?.code;
  } catch {
    return undefined;
  }
}

/** The value at quantile q (0..1) of ascending values. */
export function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

export interface LoadData {
  activityIds: number[];
  students: { id: number; token: string }[];
}

/**
 * Activities and students with a session each, straight in SQL (hashing passwords would take minutes).
 * Ids are those of the new rows.
 */
export async function seedLoadData(
  url: string,
  { activities, capacity, students }: { activities: number; capacity: number; students: number },
): Promise<LoadData> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const tag = randomBytes(3).toString('hex');
    const { rows: activityRows } = await db.query<{ id: number }>(
      `insert into activity (name, max_participants, schedule_days, start_time, end_time)
       select 'Load ${tag} ' || n, $2, '{monday}', '15:00', '16:00' from generate_series(1, $1) n
       returning id`,
      [activities, capacity],
    );
    const { rows: studentRows } = await db.query<{ id: number }>(
      `insert into student (email, name, grade)
       select 'load-${tag}-' || n || '@bench.edu', 'Student ' || n, 10 from generate_series(1, $1) n
       returning id`,
      [students],
    );
    const tokens = studentRows.map(() => randomBytes(32).toString('base64url'));
    await db.query(
      `insert into session (token_hash, student_id, expires_at)
       select h, s, now() + interval '1 day' from unnest($1::text[], $2::int[]) as t(h, s)`,
      [tokens.map(hashToken), studentRows.map((row) => row.id)],
    );
    await db.query('analyze');
    return {
      activityIds: activityRows.map((row) => row.id),
      students: studentRows.map((row, i) => ({ id: row.id, token: tokens[i]! })),
    };
  } finally {
    await db.end();
  }
}

/** Seat counters that match the rows, no duplicate signup, no activity over capacity: [] when all hold. */
export async function seatInvariantViolations(url: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ problem: string }>(
      `select 'activity ' || a.id || ': counters ' || a.enrolled_count || '/' || a.waitlist_count ||
              ' but rows ' || coalesce(c.enrolled, 0) || '/' || coalesce(c.waiting, 0) as problem
         from activity a left join (
           select activity_id,
                  count(*) filter (where status = 'enrolled')::int as enrolled,
                  count(*) filter (where status = 'waitlisted')::int as waiting
             from activity_participant group by activity_id) c on c.activity_id = a.id
        where (a.enrolled_count, a.waitlist_count) is distinct from (coalesce(c.enrolled, 0), coalesce(c.waiting, 0))
       union all
       select 'activity ' || id || ': ' || enrolled_count || ' enrolled for ' || max_participants || ' seats'
         from activity where enrolled_count > max_participants
       union all
       select 'student ' || student_id || ' signed up ' || count(*) || ' times for activity ' || activity_id
         from activity_participant group by activity_id, student_id having count(*) > 1`,
    );
    return rows.map((row) => row.problem);
  } finally {
    await db.end();
  }
}

/** A new database `name` on the benchmark's server (dropped first when it exists), migrated; its URL. */
export async function freshBenchDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await initORM({ url: url.toString() });
  try {
    await orm.migrator.up();
  } finally {
    await orm.close();
  }
  return url.toString();
}
