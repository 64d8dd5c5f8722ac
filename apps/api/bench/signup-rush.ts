// The signup rush (pnpm bench:rush, and its small run in signup-rush.test.ts): every student signs up once,
// all within one second, retrying on 503; then the seat and waitlist invariants, checked in SQL and against
// what each student was told.
import pg from 'pg';
import { type LoadData, LoadClient, seatInvariantViolations, seedLoadData } from './load-client.ts';

/** Of every three students, one wants one of these first activities: they fill far past their seats. */
const HOT_ACTIVITIES = 5;
/** Seats per activity, by activity index in turn: the hot ones range from 5 to 80. */
const CAPACITIES = [5, 10, 20, 40, 80, 150];

/**
 * Which activity (index) the student of index i signs up for: the same in the HTTP rush and in pgbench
 * (choiceExpression), so both runs fill the same seats with the same demand.
 */
export function choiceOf(i: number, activities: number): number {
  return i % 3 === 0 ? Math.floor(i / 3) % Math.min(HOT_ACTIVITIES, activities) : i % activities;
}

/** choiceOf as a pgbench expression of the variable `i`. */
export function choiceExpression(activities: number): string {
  return `CASE WHEN :i % 3 = 0 THEN (:i / 3) % ${Math.min(HOT_ACTIVITIES, activities)} ELSE :i % ${activities} END`;
}

interface RushData extends LoadData {
  capacities: number[];
}

/**
 * Students with a session each and activities of varied capacity, in bulk SQL (the sessions' token hashes
 * made with the app's hashToken): 3,000 argon2 registrations would take minutes and measure nothing of the rush.
 */
export async function seedRush(
  url: string,
  { students, activities }: { students: number; activities: number },
): Promise<RushData> {
  const data = await seedLoadData(url, { activities, capacity: 1, students });
  const capacities = data.activityIds.map((_, index) => CAPACITIES[index % CAPACITIES.length]!);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `update activity a set max_participants = c.seats
         from unnest($1::int[], $2::int[]) as c(id, seats) where a.id = c.id`,
      [data.activityIds, capacities],
    );
  } finally {
    await db.end();
  }
  return { ...data, capacities };
}

/** What one student's signup came to, after any retries. */
export interface RushAnswer {
  studentId: number;
  activityId: number;
  /** HTTP status of the final attempt; 0 when no response came. */
  status: number;
  /** tRPC error code of the final attempt, or the network error's code. */
  code?: string;
  /** Of a 200: the signup's status (in_draw: held for a round's opening draw) and the waitlist position told. */
  signup?: { status: 'enrolled' | 'waitlisted' | 'in_draw'; waitlistPosition: number | null };
  attempts: number;
  /** performance.now() when the first attempt was sent, when the final attempt was sent and answered. */
  firstSentAt: number;
  finalSentAt: number;
  answeredAt: number;
}

export interface RushResult {
  answers: RushAnswer[];
  /** Non-200 replies of every attempt (the retried 503s too), by `status code`. */
  attemptErrors: Map<string, number>;
  maxInFlight: number;
  /** performance.now() of the start: the call, or the opening instant when given one. */
  startedAt: number;
}

/**
 * Full jitter over an exponential ceiling (100 ms, doubling, at most 2 s): the web client does not retry a
 * mutation (React Query's default), so a rush of retries must not come back in step and swamp the server again.
 */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(2_000, 100 * 2 ** (attempt - 1));
}

/** A student retries a 503 until this long after their first try; then their answer is the 503. */
const GIVE_UP_AFTER_MS = 60_000;

/** Whether the benchmarks warm the API up before the rush (RUSH_WARMUP=0: a cold start). */
export const WARM_UP = process.env.RUSH_WARMUP !== '0';

/**
 * The school's pages before signups open: every student loads the activity list once, signed in, 64 at a
 * time. A freshly started API answers its first thousands of requests at about half speed (V8 has not
 * compiled its code yet, the pool has not opened its connections); a school's server has been up for hours
 * when signups open, and its students have the page open. Answers how long it took.
 */
export async function warmUp(origin: string, data: LoadData): Promise<number> {
  const started = performance.now();
  const client = new LoadClient(origin, 64);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < data.students.length) {
          const student = data.students[next++]!;
          const reply = await client.call('activities.list', { pageSize: 20 }, { token: student.token });
          if (reply.status !== 200) throw new Error(`warm-up: activities.list answered ${reply.status}`);
        }
      }),
    );
  } finally {
    client.close();
  }
  return performance.now() - started;
}

/** What the benchmark's note says of the warm-up (warmUp's answer, in ms), or of its absence. */
export const warmUpNote = (warmUpMs: number) =>
  WARM_UP
    ? `warmed up first: each student loaded the activity list once, 64 at a time (${(warmUpMs / 1000).toFixed(1)} s; RUSH_WARMUP=0 for a cold start); `
    : 'a cold start (RUSH_WARMUP=0: no warm-up); ';

/**
 * Every student sends their signups at a random moment of the same second, over up to `connections`
 * connections at once, retrying 503s with backoff. By default that second starts now and each student signs
 * up once, for choiceOf; `opensAt` (a Date.now() instant) makes every student wait for it, and `choicesOf`
 * gives a student's activities (indexes), sent in parallel: one answer per signup.
 */
export async function runRush(
  origin: string,
  data: RushData,
  {
    connections = data.students.length,
    spreadMs = 1_000,
    opensAt = Date.now(),
    choicesOf = (index: number) => [choiceOf(index, data.activityIds.length)],
  }: {
    connections?: number;
    spreadMs?: number;
    opensAt?: number;
    choicesOf?: (index: number) => number[];
  } = {},
): Promise<RushResult> {
  const client = new LoadClient(origin, connections);
  const attemptErrors = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const startedAt = performance.now() + Math.max(0, opensAt - Date.now());
  const signUp = async (student: { id: number; token: string }, choice: number): Promise<RushAnswer> => {
    const activityId = data.activityIds[choice]!;
    const firstSentAt = performance.now();
    for (let attempts = 1; ; attempts++) {
      const finalSentAt = performance.now();
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const reply = await client.call(
        'signups.join',
        { activityId },
        { mutation: true, token: student.token },
      );
      inFlight--;
      const answeredAt = performance.now();
      if (reply.status !== 200) {
        const key = `${reply.status} ${reply.code ?? ''}`.trim();
        attemptErrors.set(key, (attemptErrors.get(key) ?? 0) + 1);
      }
      if (reply.status === 503 && answeredAt - firstSentAt < GIVE_UP_AFTER_MS) {
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempts)));
        continue;
      }
      const answer = {
        studentId: student.id,
        activityId,
        status: reply.status,
        attempts,
        firstSentAt,
        finalSentAt,
        answeredAt,
      };
      if (reply.status !== 200) return { ...answer, code: reply.code };
      const { status, waitlistPosition } = (
        JSON.parse(reply.body) as { result: { data: { json: RushAnswer['signup'] & {} } } }
      ).result.data.json;
      return { ...answer, signup: { status, waitlistPosition } };
    }
  };
  const student = async (who: { id: number; token: string }, index: number) => {
    const wait = Math.max(0, opensAt - Date.now()) + Math.random() * spreadMs;
    await new Promise((resolve) => setTimeout(resolve, wait));
    return Promise.all(choicesOf(index).map((choice) => signUp(who, choice)));
  };
  try {
    const answers = (await Promise.all(data.students.map(student))).flat();
    return { answers, attemptErrors, maxInFlight, startedAt };
  } finally {
    client.close();
  }
}

/**
 * Everything that must hold after a rush, as readable problems ([] when all hold). In SQL: counters equal
 * rows, no activity over capacity, no duplicate signup (seatInvariantViolations), and, as nobody withdrew,
 * every enrolled signup older than every waitlisted one of its activity (nobody jumped the line). With the
 * students' answers (the HTTP rush; pgbench's are not observable): every acknowledged signup is there with
 * the status it was told; each waitlisted student's place in line (rank by participant id) is the position
 * they were told, so the positions told of an activity ascend with the ids without repeat, and are exactly
 * 1..n when every signup was answered (gapless); and an answer acknowledged before another was sent holds the older signup (arrival order, as far
 * as the client can see it).
 */
export async function rushInvariantViolations(url: string, answers?: RushAnswer[]): Promise<string[]> {
  const problems = await seatInvariantViolations(url);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let rows: { id: number; activity_id: number; student_id: number; status: string }[];
  try {
    const jumped = await db.query<{ problem: string }>(
      `select 'activity ' || activity_id || ': an enrolled signup (participant ' || max(id) filter (where status = 'enrolled') ||
              ') is newer than a waitlisted one (' || min(id) filter (where status = 'waitlisted') || ')' as problem
         from activity_participant group by activity_id
        having max(id) filter (where status = 'enrolled') > min(id) filter (where status = 'waitlisted')`,
    );
    problems.push(...jumped.rows.map((row) => row.problem));
    ({ rows } = await db.query('select id, activity_id, student_id, status from activity_participant'));
  } finally {
    await db.end();
  }
  if (answers) problems.push(...answerViolations(rows, answers));
  return problems;
}

function answerViolations(
  rows: { id: number; activity_id: number; student_id: number; status: string }[],
  answers: RushAnswer[],
): string[] {
  const problems: string[] = [];
  const rowOf = new Map(rows.map((row) => [`${row.activity_id}/${row.student_id}`, row]));
  // A waitlisted signup's place in line: its rank by participant id among the activity's waitlisted ones.
  const positionOf = new Map<number, number>();
  const waitlisted = rows.filter((row) => row.status === 'waitlisted').sort((a, b) => a.id - b.id);
  const lineLength = new Map<number, number>();
  for (const row of waitlisted) {
    const position = (lineLength.get(row.activity_id) ?? 0) + 1;
    lineLength.set(row.activity_id, position);
    positionOf.set(row.id, position);
  }
  const acknowledged = new Map<number, { answer: RushAnswer; participantId: number }[]>();
  for (const answer of answers) {
    if (!answer.signup) continue;
    const row = rowOf.get(`${answer.activityId}/${answer.studentId}`);
    if (!row) {
      problems.push(
        `student ${answer.studentId} was told ${answer.signup.status} for activity ${answer.activityId}, but has no signup`,
      );
      continue;
    }
    if (row.status !== answer.signup.status) {
      problems.push(
        `student ${answer.studentId} was told ${answer.signup.status} for activity ${answer.activityId}, but is ${row.status}`,
      );
    }
    const ofActivity = acknowledged.get(answer.activityId) ?? [];
    ofActivity.push({ answer, participantId: row.id });
    acknowledged.set(answer.activityId, ofActivity);
  }
  for (const [activityId, signups] of acknowledged) {
    for (const { answer, participantId } of signups) {
      const told = answer.signup!.waitlistPosition;
      const actual = positionOf.get(participantId) ?? null;
      if (told !== actual) {
        problems.push(
          `activity ${activityId}: student ${answer.studentId} was told waitlist position ${told}, but is at ${actual}`,
        );
      }
    }
    // Arrival order: when B was sent after A's answer came back, A's signup must be the older one. Sweep
    // the sends in time order, holding the newest participant id among the answers that came before.
    const byAnswer = [...signups].sort((a, b) => a.answer.answeredAt - b.answer.answeredAt);
    const bySend = [...signups].sort((a, b) => a.answer.finalSentAt - b.answer.finalSentAt);
    let answered = 0;
    let newestBefore: { answer: RushAnswer; participantId: number } | undefined;
    for (const later of bySend) {
      while (answered < byAnswer.length && byAnswer[answered]!.answer.answeredAt < later.answer.finalSentAt) {
        const earlier = byAnswer[answered++]!;
        if (!newestBefore || earlier.participantId > newestBefore.participantId) newestBefore = earlier;
      }
      if (newestBefore && newestBefore.participantId > later.participantId) {
        problems.push(
          `activity ${activityId}: student ${later.answer.studentId} asked after student ${newestBefore.answer.studentId} was answered, but holds the older signup`,
        );
      }
    }
  }
  return problems;
}
