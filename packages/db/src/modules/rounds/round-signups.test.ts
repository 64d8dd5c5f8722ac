import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { useTestDatabase } from '../../../test/test-database.ts';
import { NotSignedInError, PasswordResetError, RuleViolationError } from '../../errors.ts';
import { hashToken } from '../accounts/accounts.ts';
import { ROUND_CHECKED_SIGNUP_STATEMENT, signUp, signUpWithSession } from '../activities/signups.ts';
import { createRound } from './rounds.ts';
import { openingDrawOrder, placeOpeningDraw, ROUND_LOCKS } from './round-signups.ts';

/** The request a self-signup names to the audit trail. */
const REQUEST = { requestId: 'round-signups-test', clientAddress: '127.0.0.1' };

const { orm } = await useTestDatabase({ poolMax: 30 });
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

let nextName = 0;
async function createActivity(
  maxParticipants: number,
  schedule: { days: string; start: string; end: string } | null = null,
) {
  const [row] = await sql<{ id: number }>(
    `insert into activity (name, max_participants, schedule_days, start_time, end_time)
     values (?, ?, ?::text[], ?::time, ?::time) returning id`,
    [
      `Round activity ${++nextName}`,
      maxParticipants,
      schedule?.days ?? null,
      schedule?.start ?? null,
      schedule?.end ?? null,
    ],
  );
  return row!.id;
}

/** Students, each with a session (tokenOf), as logging in makes one. */
async function createStudents(count: number): Promise<number[]> {
  const batch = ++nextName;
  const rows = await sql<{ id: number }>(
    `insert into student (email, name, grade)
     select 'r' || ? || '-' || n || '@mergington.edu', 'Student ' || n, 10 from generate_series(1, ?) n
     returning id`,
    [batch, count],
  );
  const ids = rows.map((row) => row.id);
  await sql(
    `insert into session (token_hash, student_id, expires_at)
     select token_hash, student_id, now() + interval '1 hour'
       from unnest(?::text[], ?::int[]) as s(token_hash, student_id)`,
    [`{${ids.map((id) => hashToken(tokenOf(id))).join(',')}}`, `{${ids.join(',')}}`],
  );
  return ids;
}

const tokenOf = (studentId: number) => `round-student-${studentId}`;

/**
 * How a student's own round signup starts the statement that locks their session and their row (in
 * round_self_signup_check, which pg_stat_activity shows as the statement calling it).
 */
const OWN_SIGNUP_LOCK = ROUND_CHECKED_SIGNUP_STATEMENT.slice(0, 60);

/**
 * The two ways a signup in a round is checked: signUp (a student by id) applies the round's rules in a
 * transaction (signUpInRound); a student's own signup through their session first tries the one statement
 * whose database function checks them (ROUND_CHECKED_SIGNUP_STATEMENT), and falls back to the transaction
 * for every refusal. `waitingStatement`: how the statement that waits for the opening's lock starts.
 */
const WAYS = [
  {
    way: 'signUp, in a transaction',
    signUp: (studentId: number, activityId: number) => signUp(fork(), studentId, activityId),
    waitingStatement: 'select pg_advisory_xact_lock_shared',
  },
  {
    way: "a student's own signup, in one statement",
    signUp: (studentId: number, activityId: number) =>
      signUpWithSession(fork(), tokenOf(studentId), activityId, REQUEST),
    waitingStatement: OWN_SIGNUP_LOCK,
  },
];

async function createTeacher(): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `insert into teacher (email, username, name, role, password_hash)
     values (?, ?, 'Teacher', 'teacher', 'x') returning id`,
    [`t${++nextName}@mergington.edu`, `t${nextName}`],
  );
  return row!.id;
}

/** A round over the activities whose window is set to the given instants (the API takes whole minutes). */
async function roundOf(
  activityIds: number[],
  opensAt: Date,
  closesAt: Date,
  options: {
    mode?: 'first_come' | 'lottery';
    maxPerStudent?: number;
    noOverlap?: boolean;
    window?: number;
  } = {},
) {
  const round = await createRound(fork(), {
    name: `Round ${++nextName}`,
    mode: options.mode ?? 'first_come',
    opensAt: '2027-09-01T08:00',
    closesAt: '2027-09-08T08:00',
    openingWindowSeconds: options.window ?? 0,
    maxPerStudent: options.maxPerStudent ?? null,
    noOverlap: options.noOverlap ?? false,
    maxChoices: 5,
    seniorsFirst: false,
    termStart: null,
    termEnd: null,
    activities: activityIds.map((activityId) => ({ activityId, minParticipants: null })),
  });
  await sql(`update signup_round set opens_at = ?, closes_at = ? where id = ?`, [
    opensAt,
    closesAt,
    round.id,
  ]);
  return round.id;
}

/** Waits until `count` statements starting with `start` wait for a lock. */
async function waitingOnLock(start: string, count = 1) {
  for (;;) {
    const rows = await sql(
      `select pid from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like ? || '%'`,
      [start],
    );
    if (rows.length >= count) return;
    await sleep(20);
  }
}

const inMs = (ms: number) => new Date(Date.now() + ms);

interface Attempt {
  sentAt: number;
  answeredAt: number;
  ok: boolean;
  message: string;
}

/** Each student signs up once, spread evenly over [from, to) of the wall clock. */
async function spreadSignups(
  signUpOne: (typeof WAYS)[number]['signUp'],
  students: number[],
  activityId: number,
  from: number,
  to: number,
) {
  return Promise.all(
    students.map(async (studentId, index): Promise<Attempt> => {
      await sleep(Math.max(0, from + ((to - from) * index) / students.length - Date.now()));
      const sentAt = Date.now();
      try {
        await signUpOne(studentId, activityId);
        return { sentAt, answeredAt: Date.now(), ok: true, message: '' };
      } catch (error) {
        return { sentAt, answeredAt: Date.now(), ok: false, message: (error as Error).message };
      }
    }),
  );
}

// Under load a signup may be checked seconds after it was sent, so the spread is wide: what is asserted is
// that each answer agrees with the instant (accepted: answered after the opening; refused: sent before it).
describe.each(WAYS)('signup rounds: the window ($way)', ({ signUp: signUpOne }) => {
  it('accepts no signup before the opening instant, and every one after it', async () => {
    const activityId = await createActivity(100);
    const students = await createStudents(40);
    const opensAt = inMs(4000);
    await roundOf([activityId], opensAt, inMs(600_000));
    const attempts = await spreadSignups(
      signUpOne,
      students,
      activityId,
      opensAt.getTime() - 3000,
      opensAt.getTime() + 1000,
    );
    const accepted = attempts.filter((attempt) => attempt.ok);
    const refused = attempts.filter((attempt) => !attempt.ok);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const attempt of accepted) expect(attempt.answeredAt).toBeGreaterThanOrEqual(opensAt.getTime());
    for (const attempt of refused) {
      expect(attempt.message).toMatch(/^signups for Round \d+ open at \w{3} \d+ \w{3} \d{4}, \d\d:\d\d \(/);
      expect(attempt.sentAt).toBeLessThan(opensAt.getTime());
    }
    const [early] = await sql<{ count: number }>(
      `select count(*)::int as count from activity_participant where activity_id = ? and signup_date < ?`,
      [activityId, opensAt],
    );
    expect(early!.count).toBe(0);
  });

  it('accepts no signup after the closing instant', async () => {
    const activityId = await createActivity(100);
    const students = await createStudents(40);
    const closesAt = inMs(4000);
    await roundOf([activityId], inMs(-60_000), closesAt);
    const attempts = await spreadSignups(
      signUpOne,
      students,
      activityId,
      closesAt.getTime() - 3000,
      closesAt.getTime() + 1000,
    );
    const accepted = attempts.filter((attempt) => attempt.ok);
    const refused = attempts.filter((attempt) => !attempt.ok);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const attempt of accepted) expect(attempt.sentAt).toBeLessThan(closesAt.getTime());
    for (const attempt of refused) {
      expect(attempt.message).toMatch(/closed at/);
      expect(attempt.answeredAt).toBeGreaterThanOrEqual(closesAt.getTime());
    }
    const [late] = await sql<{ count: number }>(
      `select count(*)::int as count from activity_participant where activity_id = ? and signup_date >= ?`,
      [activityId, closesAt],
    );
    expect(late!.count).toBe(0);
  });

  it('refuses a signup for a lottery round (students rank instead)', async () => {
    const activityId = await createActivity(10);
    await roundOf([activityId], inMs(-1000), inMs(60_000), { mode: 'lottery' });
    const [student] = await createStudents(1);
    await expect(signUpOne(student!, activityId)).rejects.toThrow(/is a lottery: rank your choices/);
  });
});

describe.each(WAYS)('signup rounds: per-student limits ($way)', ({ signUp: signUpOne }) => {
  // A check that counted the student's signups in the snapshot its statement started with would let all
  // six through: they all start before the first commits, then wait for the student's row.
  it('lets exactly 2 of 6 parallel signups through for a limit of 2', async () => {
    const activities = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createActivity(10)));
    await roundOf(activities, inMs(-1000), inMs(60_000), { maxPerStudent: 2 });
    const [student] = await createStudents(1);
    const results = await Promise.allSettled(activities.map((activityId) => signUpOne(student!, activityId)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(RuleViolationError);
      expect((result.reason as Error).message).toMatch(/at most 2 activities of Round \d+ per student/);
    }
    const [rows] = await sql<{ count: number }>(
      `select count(*)::int as count from activity_participant where student_id = ?`,
      [student],
    );
    expect(rows!.count).toBe(2);
    // One of their two again: already signed up, which the limit would refuse too.
    const [taken] = await sql<{ activity_id: number }>(
      `select activity_id from activity_participant where student_id = ? limit 1`,
      [student],
    );
    await expect(signUpOne(student!, taken!.activity_id)).rejects.toThrow(
      /already signed up for Round activity/,
    );
  });

  it('refuses an overlapping activity when the round says no overlaps', async () => {
    const chess = await createActivity(10, { days: '{monday}', start: '15:00', end: '16:00' });
    const drama = await createActivity(10, { days: '{monday,tuesday}', start: '15:30', end: '17:00' });
    const art = await createActivity(10, { days: '{monday}', start: '16:00', end: '17:00' });
    await roundOf([chess, drama, art], inMs(-1000), inMs(60_000), { noOverlap: true });
    const [student] = await createStudents(1);
    await signUpOne(student!, chess);
    await expect(signUpOne(student!, drama)).rejects.toThrow(/overlaps Round activity \d+/);
    await expect(signUpOne(student!, art)).resolves.toMatchObject({ status: 'enrolled' });
  });
});

describe('signup rounds: a teacher past the limits', () => {
  it('lets a teacher add past the limits and the window only with a stated reason, which is stored', async () => {
    const activities = await Promise.all([1, 2].map(() => createActivity(10)));
    await roundOf(activities, inMs(-60_000), inMs(-1000), { maxPerStudent: 1 });
    const [student] = await createStudents(1);
    const teacherId = await createTeacher();
    await expect(signUp(fork(), student!, activities[0]!)).rejects.toThrow(/closed at/);
    await signUp(fork(), student!, activities[0]!, { teacherId });
    await expect(signUp(fork(), student!, activities[1]!, { teacherId })).rejects.toThrow(
      /^Over the round's limits: at most 1 activity of Round \d+ per student, and this student has Round activity \d+\. State a reason to override them\.$/,
    );
    await expect(
      signUp(fork(), student!, activities[1]!, { teacherId, overrideReason: 'needs both for credit' }),
    ).resolves.toMatchObject({ status: 'enrolled' });
    const overrides = await sql<{ reason: string; rules_broken: string; teacher_id: number }>(
      `select reason, rules_broken, teacher_id from round_override where student_id = ?`,
      [student],
    );
    expect(overrides).toEqual([
      {
        reason: 'needs both for credit',
        rules_broken: expect.stringMatching(/^at most 1 activity/),
        teacher_id: teacherId,
      },
    ]);
  });
});

describe.each(WAYS)('signup rounds: the fair opening ($way)', ({ signUp: signUpOne, waitingStatement }) => {
  it('holds every signup of the opening window, then places them once in the stored seed order', async () => {
    const activityId = await createActivity(3);
    const opensAt = inMs(-200);
    const roundId = await roundOf([activityId], opensAt, inMs(60_000), { window: 2 });
    const students = await createStudents(10);
    // In arrival order: the earliest has no edge, the order is the draw's.
    for (const studentId of students) {
      await expect(signUpOne(studentId, activityId)).resolves.toMatchObject({
        status: 'in_draw',
        drawResultsAt: new Date(opensAt.getTime() + 2000),
      });
    }
    expect(await sql(`select id from activity_participant where activity_id = ?`, [activityId])).toEqual([]);
    await sleep(opensAt.getTime() + 2000 - Date.now() + 50);
    const [late] = await createStudents(1);
    // The first call after the window places the draw (racing a second placement: it happens once).
    const [lateSignup] = await Promise.all([
      signUpOne(late!, activityId),
      placeOpeningDraw(fork(), roundId),
      placeOpeningDraw(fork(), roundId),
    ]);
    expect(lateSignup).toMatchObject({ status: 'waitlisted', waitlistPosition: 8 });
    const [round] = await sql<{ opening_seed: number }>(
      `select opening_seed from signup_round where id = ?`,
      [roundId],
    );
    const entries = await sql<{ id: number; student_id: number; activity_id: number; draw_position: number }>(
      `select id, student_id, activity_id, draw_position from opening_draw_entry where round_id = ? order by id`,
      [roundId],
    );
    const expected = openingDrawOrder(entries, round!.opening_seed).map((entry) => entry.student_id);
    const placed = await sql<{ student_id: number; status: string }>(
      `select student_id, status from activity_participant where activity_id = ? order by id`,
      [activityId],
    );
    expect(placed.map((row) => row.student_id)).toEqual([...expected, late]);
    expect(placed.map((row) => row.status)).toEqual([
      ...Array(3).fill('enrolled'),
      ...Array(8).fill('waitlisted'),
    ]);
    expect(entries.map((entry) => entry.draw_position).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    // Each student of the draw is told where it put them, once (the late signup was told at once instead).
    const told = await sql<{ student_id: number; places: string[]; waitlists: string[] }>(
      `select student_id, array(select jsonb_array_elements_text(payload->'places')) as places,
              array(select jsonb_array_elements_text(payload->'waitlists')) as waitlists
         from notification where kind = 'round_results' and (payload->>'roundId')::int = ? order by student_id`,
      [roundId],
    );
    const [{ name }] = (await sql<{ name: string }>(`select name from activity where id = ?`, [
      activityId,
    ])) as [{ name: string }];
    expect(told).toEqual(
      placed
        .filter((row) => row.student_id !== late)
        .sort((a, b) => a.student_id - b.student_id)
        .map((row) => ({
          student_id: row.student_id,
          places: row.status === 'enrolled' ? [name] : [],
          waitlists: row.status === 'waitlisted' ? [name] : [],
        })),
    );
  });

  it("dates a held signup from inside the window even when the draw's lock comes after the window", async () => {
    const activityId = await createActivity(3);
    const opensAt = inMs(-200);
    const roundId = await roundOf([activityId], opensAt, inMs(60_000), { window: 1 });
    const drawAt = opensAt.getTime() + 1000;
    const [student] = await createStudents(1);
    // Another transaction holds the opening's lock (as a placement waiting for held signups would), so the
    // signup, let in by the window, waits for its shared lock until after the window has ended.
    const blocker = orm.em.fork();
    await blocker.begin();
    await blocker.execute('select pg_advisory_xact_lock(?, ?)', [ROUND_LOCKS.opening, roundId]);
    const signup = signUpOne(student!, activityId);
    await waitingOnLock(waitingStatement);
    await sleep(drawAt - Date.now() + 200);
    await blocker.rollback(); // nothing placed: the signup is still held
    await expect(signup).resolves.toMatchObject({ status: 'in_draw' });
    const [entry] = await sql<{ arrived_at: string }>(
      `select arrived_at from opening_draw_entry where round_id = ? and student_id = ?`,
      [roundId, student],
    );
    expect(new Date(entry!.arrived_at).getTime()).toBeLessThan(drawAt);
    expect(new Date(entry!.arrived_at).getTime()).toBeGreaterThanOrEqual(opensAt.getTime());
  });

  it('lets a signup that waited for the placement in as late: first come from the instant it got the lock', async () => {
    const activityId = await createActivity(3);
    const roundId = await roundOf([activityId], inMs(-200), inMs(60_000), { window: 30 });
    const [student] = await createStudents(1);
    // The placement holds the opening's lock while the signup, let in by the window, waits for it; the
    // placement then commits (here: no held signups to place).
    const placement = orm.em.fork();
    await placement.begin();
    await placement.execute('select pg_advisory_xact_lock(?, ?)', [ROUND_LOCKS.opening, roundId]);
    const signup = signUpOne(student!, activityId);
    await waitingOnLock(waitingStatement);
    await placement.execute(
      `update signup_round set opening_seed = 1, opening_placed_at = clock_timestamp() where id = ?`,
      [roundId],
    );
    await placement.commit();
    await expect(signup).resolves.toMatchObject({ status: 'enrolled', drawResultsAt: null });
    expect(await sql(`select id from opening_draw_entry where round_id = ?`, [roundId])).toEqual([]);
    const [row] = await sql<{ late: boolean }>(
      `select p.signup_date >= r.opening_placed_at as late
         from activity_participant p, signup_round r where p.activity_id = ? and r.id = ?`,
      [activityId, roundId],
    );
    expect(row).toEqual({ late: true });
  });
});

describe("signup rounds: a student's own signup through their session (signups.join)", () => {
  /** A session for the student, as logging in makes one; its token. */
  async function sessionOf(studentId: number): Promise<string> {
    const token = `round-session-${++nextName}`;
    await sql(
      `insert into session (token_hash, student_id, expires_at) values (?, ?, now() + interval '1 hour')`,
      [hashToken(token), studentId],
    );
    return token;
  }

  it("applies the round's window, limit and opening draw, and ends with the session", async () => {
    const [early, open, held] = await Promise.all([1, 2, 3].map(() => createActivity(10)));
    const [other] = await Promise.all([createActivity(10)]);
    await roundOf([early!], inMs(60_000), inMs(120_000));
    await roundOf([open!, other!], inMs(-60_000), inMs(60_000), { maxPerStudent: 1 });
    const drawRound = inMs(-100);
    await roundOf([held!], drawRound, inMs(60_000), { window: 30 });
    const [student] = await createStudents(1);
    const token = await sessionOf(student!);

    await expect(signUpWithSession(fork(), token, early!, REQUEST)).rejects.toThrow(
      /^signups for Round \d+ open at/,
    );
    await expect(signUpWithSession(fork(), token, open!, REQUEST)).resolves.toMatchObject({
      status: 'enrolled',
    });
    await expect(signUpWithSession(fork(), token, other!, REQUEST)).rejects.toThrow(
      /at most 1 activity of Round/,
    );
    await expect(signUpWithSession(fork(), token, held!, REQUEST)).resolves.toMatchObject({
      status: 'in_draw',
      drawResultsAt: new Date(drawRound.getTime() + 30_000),
    });

    await sql(`update student set must_change_password = true where id = ?`, [student]);
    await expect(signUpWithSession(fork(), token, other!, REQUEST)).rejects.toBeInstanceOf(
      PasswordResetError,
    );
    await sql(`delete from session where student_id = ?`, [student]);
    await expect(signUpWithSession(fork(), token, other!, REQUEST)).rejects.toBeInstanceOf(NotSignedInError);
    const rows = await sql<{ activity_id: number }>(
      `select activity_id from activity_participant where student_id = ?
       union all select activity_id from opening_draw_entry where student_id = ?`,
      [student, student],
    );
    expect(rows.map((row) => row.activity_id).sort()).toEqual([open!, held!].sort());
    // The audit trail names the student and the request, for the enrolment and the held signup alike.
    const audited = await sql<{
      table_name: string;
      actor_kind: string;
      actor_id: string;
      request_id: string;
    }>(
      `select table_name, actor_kind, actor_id::text, request_id from audit_log
        where table_name in ('activity_participant', 'opening_draw_entry') and action = 'insert'
          and actor_id = ? order by id`,
      [student],
    );
    expect(audited).toEqual(
      ['activity_participant', 'opening_draw_entry'].map((table_name) => ({
        table_name,
        actor_kind: 'student',
        actor_id: String(student),
        request_id: REQUEST.requestId,
      })),
    );
  });

  it('plans the one-statement signup as the cheap statement it is (never worth the JIT compiler)', async () => {
    // Planned for a function's default 1,000 rows, the statement cost enough for PostgreSQL to compile it
    // with the JIT at every call: 0.55 s each, and the round rush's signups timed out (round_self_signup_check
    // declares `rows 1`).
    const [plan] = await sql<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] }>(
      `explain (format json) ${ROUND_CHECKED_SIGNUP_STATEMENT}`,
      ['no such token', 1, 'plan', '127.0.0.1', 1],
    );
    const [jit] = await sql<{ cost: string }>(`select current_setting('jit_above_cost') as cost`);
    expect(plan!['QUERY PLAN'][0].Plan['Total Cost']).toBeLessThan(Math.min(Number(jit!.cost), 1000));
  });

  it("locks the student before the activity on every path: a teacher's add and the student's own signup do not deadlock", async () => {
    const activityId = await createActivity(10);
    await roundOf([activityId], inMs(-60_000), inMs(60_000));
    const [student] = await createStudents(1);
    const token = await sessionOf(student!);
    const teacherId = await createTeacher();
    // The student's row is held, so that both signups queue for it: the student's own first, then the
    // teacher's. Had the teacher's statement locked the activity before queueing, the student's signup,
    // first to get the student's row, would wait for the activity, and the two would wait for each other.
    const blocker = orm.em.fork();
    await blocker.begin();
    await blocker.execute(`select id from student where id = ? for update`, [student]);
    const own = signUpWithSession(fork(), token, activityId, REQUEST);
    await waitingOnLock(OWN_SIGNUP_LOCK);
    // Its refusal comes while the test awaits the other: caught at once, not left unhandled meanwhile.
    const teachers = fork()
      .transactional((tx) => signUp(tx, student!, activityId, { teacherId }))
      .then(
        () => 'signed up',
        (error: Error) => error.message,
      );
    await waitingOnLock('select id, name, grade, must_change_password from student');
    await blocker.commit();
    await expect(own).resolves.toMatchObject({ status: 'enrolled' });
    expect(await teachers).toMatch(/already signed up/);
  });

  it('holds the session until the round signup commits: a logout waits for it', async () => {
    const activityId = await createActivity(10);
    await roundOf([activityId], inMs(-60_000), inMs(60_000));
    const [student] = await createStudents(1);
    const token = await sessionOf(student!);
    // Another transaction holds the student's row, so the round signup waits there, its session taken.
    const blocker = orm.em.fork();
    await blocker.begin();
    await blocker.execute(`select id from student where id = ? for update`, [student]);
    const signup = signUpWithSession(fork(), token, activityId, REQUEST);
    await waitingOnLock(OWN_SIGNUP_LOCK);
    let loggedOut = false;
    const logout = sql(`delete from session where token_hash = ?`, [hashToken(token)]).then(() => {
      loggedOut = true;
    });
    await waitingOnLock('delete from session');
    expect(loggedOut).toBe(false);
    await blocker.commit();
    await expect(signup).resolves.toMatchObject({ status: 'enrolled' });
    await logout;
    expect(await sql(`select id from session where token_hash = ?`, [hashToken(token)])).toEqual([]);
  });
});
