// The rush at a first-come round's opening (pnpm bench:rush --round, and its small run in round-rush.test.ts):
// the rush's activities put in a round with an opening window and a per-student limit, every student signing
// up at the opening instant, the opening draw placed at the window's end; then the round's invariants, checked
// by a pure function over what the database holds afterwards.
import pg from 'pg';
import { openingDrawOrder } from '@mergington/db';
import { LoadClient, type Reply } from './load-client.ts';
import { choiceOf, type RushAnswer } from './signup-rush.ts';

export interface OpeningRound {
  id: number;
  /** Date.now() instants: the opening, and the end of the opening window (when the draw is placed). */
  opensAt: number;
  drawAt: number;
  maxPerStudent: number;
}

/**
 * A first-come round of every activity, opening `leadMs` from now by the database's clock (which the API's
 * signups read; in whole milliseconds, as a Date holds it: a round made in the app opens on a whole minute),
 * its opening window `windowSeconds` long, at most `maxPerStudent` activities per student,
 * no overlap rule (the rush's activities all meet on Monday at 15:00), closing a day later.
 */
export async function createOpeningRound(
  url: string,
  {
    activityIds,
    windowSeconds,
    maxPerStudent,
    leadMs,
  }: { activityIds: number[]; windowSeconds: number; maxPerStudent: number; leadMs: number },
): Promise<OpeningRound> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const {
      rows: [round],
    } = await db.query<{ id: number; opens_at: Date }>(
      `insert into signup_round (name, mode, opens_at, closes_at, opening_window_seconds, max_per_student, no_overlap)
       values ('Bench opening', 'first_come', date_trunc('milliseconds', clock_timestamp() + $1 * interval '1 millisecond'),
               clock_timestamp() + interval '1 day', $2, $3, false)
       returning id, opens_at`,
      [leadMs, windowSeconds, maxPerStudent],
    );
    await db.query(`insert into signup_round_activity (round_id, activity_id) select $1, unnest($2::int[])`, [
      round!.id,
      activityIds,
    ]);
    const opensAt = new Date(round!.opens_at).getTime();
    return { id: round!.id, opensAt, drawAt: opensAt + windowSeconds * 1000, maxPerStudent };
  } finally {
    await db.end();
  }
}

/**
 * The activities (indexes) a student signs up for at the opening: choiceOf's one, and for one student in
 * ten that one and the next two at once, one more than a limit of 2 allows (the third must be refused).
 */
export function openingChoices(index: number, activities: number): number[] {
  const first = choiceOf(index, activities);
  return index % 10 === 0 ? [0, 1, 2].map((k) => (first + k) % activities) : [first];
}

/**
 * Asks for the round as a student does at "results at …" (rounds.mine), which places the opening draw if
 * nobody has yet, retrying 503s for up to a minute.
 */
export async function readRoundAsStudent(origin: string, token: string): Promise<Reply> {
  const client = new LoadClient(origin, 1);
  try {
    const started = performance.now();
    for (;;) {
      const reply = await client.call('rounds.mine', undefined, { token });
      if (reply.status !== 503 || performance.now() - started > 60_000) return reply;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    client.close();
  }
}

/**
 * What the database holds after an opening, for openingInvariantViolations. Times are milliseconds since the
 * epoch to the microsecond the database keeps (a Date's whole milliseconds would put a signup held in the
 * window's last millisecond at its end).
 */
export interface OpeningSnapshot {
  round: {
    opensAt: number;
    drawAt: number;
    maxPerStudent: number;
    seed: number | null;
    placedAt: number | null;
  };
  activities: { id: number; maxParticipants: number; enrolledCount: number; waitlistCount: number }[];
  participants: {
    id: number;
    activityId: number;
    studentId: number;
    status: 'enrolled' | 'waitlisted';
    signupDate: number;
  }[];
  entries: {
    id: number;
    activityId: number;
    studentId: number;
    arrivedAt: number;
    drawPosition: number | null;
  }[];
}

export async function readOpeningSnapshot(url: string, roundId: number): Promise<OpeningSnapshot> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  // `ms(column)` in a query: the instant as milliseconds since the epoch, in full (numeric, read as text).
  const ms = (column: string) => `extract(epoch from ${column}) * 1000`;
  const number = (value: string | null) => (value === null ? null : Number(value));
  try {
    const {
      rows: [round],
    } = await db.query<{
      opens_at: string;
      draw_at: string;
      max_per_student: number;
      opening_seed: number | null;
      opening_placed_at: string | null;
    }>(
      `select ${ms('opens_at')} as opens_at,
              ${ms("opens_at + opening_window_seconds * interval '1 second'")} as draw_at,
              max_per_student, opening_seed, ${ms('opening_placed_at')} as opening_placed_at
         from signup_round where id = $1`,
      [roundId],
    );
    const activities = await db.query<OpeningSnapshot['activities'][number]>(
      `select a.id, a.max_participants as "maxParticipants", a.enrolled_count as "enrolledCount",
              a.waitlist_count as "waitlistCount"
         from activity a join signup_round_activity ra on ra.activity_id = a.id where ra.round_id = $1 order by a.id`,
      [roundId],
    );
    const participants = await db.query<{
      id: number;
      activity_id: number;
      student_id: number;
      status: 'enrolled' | 'waitlisted';
      signup_date: string;
    }>(
      `select p.id, p.activity_id, p.student_id, p.status, ${ms('p.signup_date')} as signup_date
         from activity_participant p join signup_round_activity ra on ra.activity_id = p.activity_id
        where ra.round_id = $1 order by p.id`,
      [roundId],
    );
    const entries = await db.query<{
      id: number;
      activity_id: number;
      student_id: number;
      arrived_at: string;
      draw_position: number | null;
    }>(
      `select id, activity_id, student_id, ${ms('arrived_at')} as arrived_at, draw_position from opening_draw_entry
        where round_id = $1 order by id`,
      [roundId],
    );
    return {
      round: {
        opensAt: number(round!.opens_at)!,
        drawAt: number(round!.draw_at)!,
        maxPerStudent: round!.max_per_student,
        seed: round!.opening_seed,
        placedAt: number(round!.opening_placed_at),
      },
      activities: activities.rows,
      participants: participants.rows.map((row) => ({
        id: row.id,
        activityId: row.activity_id,
        studentId: row.student_id,
        status: row.status,
        signupDate: number(row.signup_date)!,
      })),
      entries: entries.rows.map((row) => ({
        id: row.id,
        activityId: row.activity_id,
        studentId: row.student_id,
        arrivedAt: number(row.arrived_at)!,
        drawPosition: row.draw_position,
      })),
    };
  } finally {
    await db.end();
  }
}

/**
 * Everything that must hold after an opening, as readable problems ([] when all hold): the draw was placed
 * (seed and time stored); no activity over capacity and counters equal rows; no duplicate signup, held or
 * placed; no student past the round's limit; nothing accepted before opensAt, nothing held after the window;
 * every held signup placed, in the order the code's own openingDrawOrder gives for the stored seed (each
 * entry's draw position, and the signups' ids in that order), before any first-come signup; nobody enrolled
 * behind a waitlisted signup of their activity (nobody withdrew); and, with the students' answers, every
 * acknowledged signup there (held ones placed), with the status told for a first-come one.
 */
export function openingInvariantViolations(
  snapshot: OpeningSnapshot,
  answers: Pick<RushAnswer, 'studentId' | 'activityId' | 'signup'>[] = [],
): string[] {
  const { round, activities, participants, entries } = snapshot;
  const problems: string[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  if (round.seed === null || round.placedAt === null) problems.push('the opening draw was not placed');

  for (const activity of activities) {
    const rows = participants.filter((row) => row.activityId === activity.id);
    const enrolled = rows.filter((row) => row.status === 'enrolled').length;
    if (enrolled > activity.maxParticipants)
      problems.push(`activity ${activity.id}: ${enrolled} enrolled for ${activity.maxParticipants} seats`);
    if (enrolled !== activity.enrolledCount || rows.length - enrolled !== activity.waitlistCount)
      problems.push(
        `activity ${activity.id}: counters ${activity.enrolledCount}/${activity.waitlistCount} but rows ${enrolled}/${rows.length - enrolled}`,
      );
    const firstWaitlisted = Math.min(
      ...rows.filter((row) => row.status === 'waitlisted').map((row) => row.id),
    );
    const jumper = rows.find((row) => row.status === 'enrolled' && row.id > firstWaitlisted);
    if (jumper)
      problems.push(
        `activity ${activity.id}: student ${jumper.studentId} enrolled behind a waitlisted signup (participant ${firstWaitlisted})`,
      );
  }

  const seen = new Set<string>();
  for (const row of [...participants, ...entries.filter((entry) => entry.drawPosition === null)]) {
    const key = `${row.activityId}/${row.studentId}`;
    if (seen.has(key))
      problems.push(`student ${row.studentId} signed up twice for activity ${row.activityId}`);
    seen.add(key);
  }
  const perStudent = new Map<number, number>();
  for (const row of participants) perStudent.set(row.studentId, (perStudent.get(row.studentId) ?? 0) + 1);
  for (const [studentId, count] of perStudent)
    if (count > round.maxPerStudent)
      problems.push(
        `student ${studentId} has ${count} activities of the round, over its limit of ${round.maxPerStudent}`,
      );

  for (const row of participants)
    if (row.signupDate < round.opensAt)
      problems.push(
        `student ${row.studentId}'s signup for activity ${row.activityId} dates from ${iso(row.signupDate)}, before the opening`,
      );
  for (const entry of entries) {
    if (entry.arrivedAt < round.opensAt || entry.arrivedAt >= round.drawAt)
      problems.push(
        `student ${entry.studentId} was held for activity ${entry.activityId} at ${iso(entry.arrivedAt)}, outside the opening window`,
      );
    if (entry.drawPosition === null)
      problems.push(
        `student ${entry.studentId}'s held signup for activity ${entry.activityId} was never placed`,
      );
  }

  // The draw's order, re-derived from the stored seed with the code's own shuffle.
  const rowOf = new Map(participants.map((row) => [`${row.activityId}/${row.studentId}`, row]));
  if (round.seed !== null) {
    const expected = openingDrawOrder(
      entries.map((entry) => ({ id: entry.id, student_id: entry.studentId })),
      round.seed,
    );
    const entryOf = new Map(entries.map((entry) => [entry.id, entry]));
    const placedIds: number[] = [];
    for (const { id, position } of expected) {
      const entry = entryOf.get(id)!;
      if (entry.drawPosition !== null && entry.drawPosition !== position)
        problems.push(
          `student ${entry.studentId} has draw position ${entry.drawPosition}, but the stored seed gives ${position}`,
        );
      const row = rowOf.get(`${entry.activityId}/${entry.studentId}`);
      if (row) placedIds.push(row.id);
      else
        problems.push(
          `student ${entry.studentId}'s held signup for activity ${entry.activityId} is not there`,
        );
    }
    const outOfOrder = placedIds.findIndex((id, i) => i > 0 && id < placedIds[i - 1]!);
    if (outOfOrder > 0)
      problems.push(
        `the opening draw's signups are not in the seed's order (participant ${placedIds[outOfOrder]} after ${placedIds[outOfOrder - 1]})`,
      );
    const lastPlaced = Math.max(...placedIds);
    const heldKeys = new Set(entries.map((entry) => `${entry.activityId}/${entry.studentId}`));
    const early = participants.find(
      (row) => !heldKeys.has(`${row.activityId}/${row.studentId}`) && row.id < lastPlaced,
    );
    if (early)
      problems.push(
        `student ${early.studentId}'s first-come signup for activity ${early.activityId} came before the opening draw's`,
      );
  }

  for (const answer of answers) {
    if (!answer.signup) continue;
    const row = rowOf.get(`${answer.activityId}/${answer.studentId}`);
    const told = answer.signup.status;
    if (!row)
      problems.push(
        `student ${answer.studentId} was told ${told} for activity ${answer.activityId}, but has no signup`,
      );
    else if (told !== 'in_draw' && row.status !== told)
      problems.push(
        `student ${answer.studentId} was told ${told} for activity ${answer.activityId}, but is ${row.status}`,
      );
    if (
      told === 'in_draw' &&
      !entries.some((entry) => entry.activityId === answer.activityId && entry.studentId === answer.studentId)
    )
      problems.push(
        `student ${answer.studentId} was told in_draw for activity ${answer.activityId}, but was not held`,
      );
  }
  return problems;
}
