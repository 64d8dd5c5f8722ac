// The lottery against the database: preview (nothing written), publish (one transaction), the "why", and
// cancelling an under-subscribed activity after publication.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ChoiceOutcome, ordinal, type PreviewDto, type RoundWhyDto } from '@mergington/contract';
import { ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
import { pgArray, query, sql } from '../../sql.ts';
import { type Notice, notify } from '../notifications/notifications.ts';
import { allocate, type Allocation, type ChoiceResult, type LotteryInput, type Slot } from './lottery.ts';
import { newSeed } from './random.ts';
import { ROUND_LOCKS } from './round-signups.ts';
import { findRound, type RoundRow } from './rounds.ts';

interface ActivityRow {
  id: number;
  name: string;
  max_participants: number;
  enrolled_count: number;
  waitlist_count: number;
  allowed_grades: number[] | null;
  schedule_days: string[] | null;
  start_time: string | null;
  end_time: string | null;
  min_participants: number | null;
}

/** What an allocation is computed from, read from the round as it is now. */
export interface LoadedLottery {
  input: Omit<LotteryInput, 'seed' | 'order'>;
  activities: ActivityRow[];
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const slotOf = (row: Pick<ActivityRow, 'schedule_days' | 'start_time' | 'end_time'>): Slot | null =>
  row.schedule_days && row.start_time && row.end_time
    ? { days: row.schedule_days, start: minutes(row.start_time), end: minutes(row.end_time) }
    : null;

/**
 * The students who ranked (or, for a re-run, the given students), their rankings, grades, what they hold
 * in the round already and when their activities meet; the round's open activities and their free seats.
 */
export async function loadLottery(
  em: EntityManager,
  round: RoundRow,
  onlyStudents?: number[],
): Promise<LoadedLottery> {
  const activities = await query<ActivityRow>(
    em,
    sql`select a.id, a.name, a.max_participants, a.enrolled_count, a.waitlist_count, a.allowed_grades,
               a.schedule_days, to_char(a.start_time, 'HH24:MI') as start_time,
               to_char(a.end_time, 'HH24:MI') as end_time, ra.min_participants
          from signup_round_activity ra join activity a on a.id = ra.activity_id
         where ra.round_id = ${round.id} and ra.cancelled_at is null
         order by a.id`,
  );
  const rankings = await query<{ student_id: number; activity_id: number }>(
    em,
    onlyStudents
      ? sql`select student_id, activity_id from round_ranking
             where round_id = ${round.id} and student_id = any(${pgArray(onlyStudents)}::int[])
             order by student_id, rank`
      : sql`select student_id, activity_id from round_ranking where round_id = ${round.id}
             order by student_id, rank`,
  );
  const studentIds = onlyStudents ?? [...new Set(rankings.map((row) => row.student_id))];
  const ids = pgArray(studentIds);
  const grades = await query<{ id: number; grade: number | null }>(
    em,
    sql`select id, grade from student where id = any(${ids}::int[]) order by id`,
  );
  const signups = await query<{
    student_id: number;
    activity_id: number;
    in_round: boolean;
    schedule_days: string[] | null;
    start_time: string | null;
    end_time: string | null;
  }>(
    em,
    sql`select p.student_id, p.activity_id, ra.id is not null as in_round, a.schedule_days,
               to_char(a.start_time, 'HH24:MI') as start_time, to_char(a.end_time, 'HH24:MI') as end_time
          from activity_participant p join activity a on a.id = p.activity_id
          left join signup_round_activity ra
                 on ra.activity_id = p.activity_id and ra.round_id = ${round.id} and ra.cancelled_at is null
         where p.student_id = any(${ids}::int[])
         order by p.student_id, p.activity_id`,
  );
  const group = <R extends { student_id: number }>(rows: R[]) => {
    const byStudent = new Map<number, R[]>();
    for (const row of rows) byStudent.set(row.student_id, [...(byStudent.get(row.student_id) ?? []), row]);
    return byStudent;
  };
  const rankingsOf = group(rankings);
  const signupsOf = group(signups);
  return {
    activities,
    input: {
      seniorsFirst: round.seniors_first,
      limit: round.max_per_student ?? round.max_choices,
      noOverlap: round.no_overlap,
      activities: activities.map((activity) => ({
        id: activity.id,
        freeSeats: Math.max(activity.max_participants - activity.enrolled_count, 0),
        allowedGrades: activity.allowed_grades,
        slot: slotOf(activity),
      })),
      students: grades.map((student) => {
        const theirs = signupsOf.get(student.id) ?? [];
        return {
          id: student.id,
          grade: student.grade,
          ranking: (rankingsOf.get(student.id) ?? []).map((row) => row.activity_id),
          held: theirs.filter((row) => row.in_round).map((row) => row.activity_id),
          busy: theirs.map(slotOf).filter((slot): slot is Slot => slot !== null),
        };
      }),
    },
  };
}

/** The digest of an allocation's input: publication refuses when it differs from the preview's. */
export function inputDigest(input: LoadedLottery['input']): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

function statisticsOf(loaded: LoadedLottery, allocation: Allocation): PreviewDto['statistics'] {
  const met = (outcome: ChoiceOutcome) => outcome === 'placed' || outcome === 'already_in';
  const ranked = loaded.input.students.filter((student) => student.ranking.length > 0);
  const choicesOf = (id: number) => allocation.choices.get(id) ?? [];
  const firstChoice = ranked.filter((student) => met(choicesOf(student.id)[0]!.outcome)).length;
  const anyChoice = ranked.filter((student) => choicesOf(student.id).some((c) => met(c.outcome))).length;
  const count = (rows: { activityId: number }[], id: number) =>
    rows.filter((row) => row.activityId === id).length;
  return {
    students: ranked.length,
    firstChoiceShare: ranked.length ? firstChoice / ranked.length : 0,
    anyChoiceShare: ranked.length ? anyChoice / ranked.length : 0,
    unplaced: ranked.length - anyChoice,
    placements: allocation.placements.length,
    waitlistEntries: allocation.waitlist.length,
    activities: loaded.activities.map((activity) => {
      const enrolled = activity.enrolled_count + count(allocation.placements, activity.id);
      return {
        activityId: activity.id,
        name: activity.name,
        maxParticipants: activity.max_participants,
        enrolled,
        waitlisted: activity.waitlist_count + count(allocation.waitlist, activity.id),
        firstChoices: ranked.filter((student) => student.ranking[0] === activity.id).length,
        minParticipants: activity.min_participants,
        underMinimum: activity.min_participants !== null && enrolled < activity.min_participants,
      };
    }),
  };
}

async function lotteryRound(em: EntityManager, roundId: number): Promise<RoundRow> {
  const round = await findRound(em, roundId);
  if (round.mode !== 'lottery') throw new RuleViolationError(`${round.name} is first come, not a lottery`);
  return round;
}

/** An allocation with statistics, nothing written. The same seed over the same input gives the same one. */
export async function previewAllocation(
  em: EntityManager,
  roundId: number,
  seed: number = newSeed(),
): Promise<PreviewDto> {
  const round = await lotteryRound(em, roundId);
  if (round.published_at) throw new ConflictError(`${round.name} is published already`);
  const loaded = await loadLottery(em, round);
  const allocation = allocate({ ...loaded.input, seed });
  return {
    roundId,
    seed,
    inputDigest: inputDigest(loaded.input),
    statistics: statisticsOf(loaded, allocation),
  };
}

/** Enrolments (in draw order), then the waitlist entries in draw order: ids are the waitlist's order. */
async function writeAllocation(em: EntityManager, allocation: Allocation): Promise<void> {
  const rows = [
    ...allocation.placements.map((row) => ({ ...row, status: 'enrolled' })),
    ...allocation.waitlist.map((row) => ({ ...row, status: 'waitlisted' })),
  ];
  if (!rows.length) return;
  await query(
    em,
    sql`insert into activity_participant (activity_id, student_id, status)
        select activity_id, student_id, status
          from unnest(${pgArray(rows.map((row) => row.activityId))}::int[],
                      ${pgArray(rows.map((row) => row.studentId))}::int[],
                      ${pgArray(rows.map((row) => row.status))}::text[]) with ordinality
               as placed(activity_id, student_id, status, place)
         order by place`,
  );
}

/** Each student who ranked is told what they got: their places (new or kept) and waitlists, or none. */
function resultNotices(round: RoundRow, loaded: LoadedLottery, allocation: Allocation): Notice[] {
  const names = new Map(loaded.activities.map((activity) => [activity.id, activity.name]));
  const named = (choices: ChoiceResult[], outcomes: ChoiceOutcome[]) =>
    choices
      .filter((choice) => outcomes.includes(choice.outcome))
      .map((choice) => names.get(choice.activityId)!);
  return loaded.input.students
    .filter((student) => student.ranking.length > 0)
    .map((student) => {
      const choices = allocation.choices.get(student.id) ?? [];
      return {
        studentId: student.id,
        kind: 'round_results',
        payload: {
          roundId: round.id,
          roundName: round.name,
          places: named(choices, ['placed', 'already_in']),
          waitlists: named(choices, ['waitlisted']),
        },
      };
    });
}

/** The students of a cancelled activity are told where they stand in the round now: places, waitlists. */
async function movedNotices(
  em: EntityManager,
  round: RoundRow,
  cancelledId: number,
  students: number[],
): Promise<Notice[]> {
  const rows = await query<{ student_id: number; places: string[]; waitlists: string[]; cancelled: string }>(
    em,
    sql`select s.id as student_id,
               array(select a.name from activity_participant p join activity a on a.id = p.activity_id
                       join signup_round_activity ra on ra.activity_id = a.id and ra.round_id = ${round.id}
                      where p.student_id = s.id and p.status = 'enrolled' order by a.name) as places,
               array(select a.name from activity_participant p join activity a on a.id = p.activity_id
                       join signup_round_activity ra on ra.activity_id = a.id and ra.round_id = ${round.id}
                      where p.student_id = s.id and p.status = 'waitlisted' order by a.name) as waitlists,
               (select name from activity where id = ${cancelledId}) as cancelled
          from student s where s.id = any(${pgArray(students)}::int[]) order by s.id`,
  );
  return rows.map((row) => ({
    studentId: row.student_id,
    kind: 'round_results',
    payload: {
      roundId: round.id,
      roundName: round.name,
      places: row.places,
      waitlists: row.waitlists,
      cancelledActivity: row.cancelled,
    },
  }));
}

/** Locks the round's activities (in id order, as every multi-activity writer does). */
async function lockRoundActivities(em: EntityManager, roundId: number): Promise<void> {
  await query(
    em,
    sql`select a.id from activity a join signup_round_activity ra on ra.activity_id = a.id
         where ra.round_id = ${roundId} order by a.id for update of a`,
  );
}

/**
 * Publishes the previewed allocation in one transaction: its enrolments, its waitlist entries and every
 * student's place and outcomes. The exclusive rankings lock waits for ranking changes in flight and holds
 * off new ones; the round's activities are locked; then the input is read again, and if it is not the one
 * previewed (a ranking changed, a seat was taken) publication is refused and nothing is written. A second
 * publication finds the round published and is refused. Each student who ranked is told their results in
 * the same transaction.
 */
export async function publishAllocation(
  em: EntityManager,
  request: { roundId: number; seed: number; inputDigest: string },
): Promise<PreviewDto> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?, ?)', [ROUND_LOCKS.rankings, request.roundId]);
    const round = await lotteryRound(tx, request.roundId);
    if (round.published_at) throw new ConflictError(`${round.name} is published already`);
    await lockRoundActivities(tx, round.id);
    const loaded = await loadLottery(tx, round);
    if (inputDigest(loaded.input) !== request.inputDigest)
      throw new ConflictError(
        'the rankings or the seats changed since that preview: preview again before publishing',
        'inputDigest',
      );
    const allocation = allocate({ ...loaded.input, seed: request.seed });
    await writeAllocation(tx, allocation);
    await notify(tx, resultNotices(round, loaded, allocation));
    const drawn = allocation.order.filter((id) => (allocation.choices.get(id) ?? []).length > 0);
    if (drawn.length)
      await query(
        tx,
        sql`insert into round_draw (round_id, student_id, draw_position, choices)
            select ${round.id}, student_id, position, choices::jsonb
              from unnest(${pgArray(drawn)}::int[], ${pgArray(drawn.map((_, index) => index + 1))}::int[],
                          ${pgArray(drawn.map((id) => JSON.stringify(allocation.choices.get(id))))}::text[])
                   as drawn(student_id, position, choices)`,
      );
    await query(
      tx,
      sql`update signup_round
             set lottery_seed = ${request.seed}, lottery_input_digest = ${request.inputDigest},
                 published_at = clock_timestamp(), version = version + 1
           where id = ${round.id}`,
    );
    return {
      roundId: round.id,
      seed: request.seed,
      inputDigest: request.inputDigest,
      statistics: statisticsOf(loaded, allocation),
    };
  });
}

/** A choice's outcome in words, from where the student stood in the draw. */
export function whyText(choice: ChoiceResult, name: string, position: number, size: number): string {
  const turn = `${ordinal(position)} of ${size}`;
  switch (choice.outcome) {
    case 'placed':
      return `You got ${name}, your ${ordinal(choice.rank)} choice (your turn came ${turn}).`;
    case 'already_in':
      return `You were already in ${name}.`;
    case 'full':
      return `${name} was full when your turn came (${turn}).`;
    case 'waitlisted':
      return `${name} was full when your turn came (${turn}): you are on its waitlist.`;
    case 'grade':
      return `${name} is not open to your grade.`;
    case 'overlap':
      return `${name} meets at the same time as an activity you already had.`;
    case 'limit':
      return `You had as many activities as the round allows before ${name} came up.`;
    case 'cancelled':
      return `${name} was cancelled.`;
  }
}

/** Where a student was in a published draw and why each choice was or was not met. */
export async function roundWhy(em: EntityManager, roundId: number, studentId: number): Promise<RoundWhyDto> {
  const [draw] = await query<{ draw_position: number; choices: ChoiceResult[]; size: number }>(
    em,
    sql`select d.draw_position, d.choices,
               (select count(*)::int from round_draw all_ where all_.round_id = d.round_id) as size
          from round_draw d where d.round_id = ${roundId} and d.student_id = ${studentId}`,
  );
  if (!draw) throw new NotFoundError(`published draw of round ${roundId} for student`, studentId);
  const names = new Map(
    (
      await query<{ id: number; name: string }>(
        em,
        sql`select id, name from activity where id = any(${pgArray(draw.choices.map((c) => c.activityId))}::int[])`,
      )
    ).map((row) => [row.id, row.name]),
  );
  return {
    roundId,
    studentId,
    drawPosition: draw.draw_position,
    drawSize: draw.size,
    choices: draw.choices.map((choice) => {
      const name = names.get(choice.activityId) ?? `activity ${choice.activityId}`;
      return { ...choice, activityName: name, text: whyText(choice, name, draw.draw_position, draw.size) };
    }),
  };
}

/**
 * Cancels an activity of a published lottery (too few students, say) in one transaction: its signups go,
 * and its students are re-run in their places of the draw for their remaining choices (seats as they are
 * now; what they already had stays theirs).
 */
export async function cancelRoundActivity(
  em: EntityManager,
  request: { roundId: number; activityId: number },
): Promise<{ moved: number; placed: number; waitlisted: number }> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?, ?)', [ROUND_LOCKS.rankings, request.roundId]);
    const round = await lotteryRound(tx, request.roundId);
    if (!round.published_at)
      throw new RuleViolationError(
        `publish ${round.name} first: cancelling moves students to their next choices`,
      );
    const [member] = await query<{ cancelled: boolean }>(
      tx,
      sql`select cancelled_at is not null as cancelled from signup_round_activity
           where round_id = ${round.id} and activity_id = ${request.activityId}`,
    );
    if (!member) throw new NotFoundError(`activity of round ${round.id}`, request.activityId);
    if (member.cancelled) throw new ConflictError('that activity is cancelled already');
    await lockRoundActivities(tx, round.id);
    const removed = await query<{ student_id: number }>(
      tx,
      sql`delete from activity_participant where activity_id = ${request.activityId} returning student_id`,
    );
    await query(
      tx,
      sql`update signup_round_activity set cancelled_at = clock_timestamp()
           where round_id = ${round.id} and activity_id = ${request.activityId}`,
    );
    const students = removed.map((row) => row.student_id);
    if (!students.length) return { moved: 0, placed: 0, waitlisted: 0 };
    const draws = await query<{ student_id: number; choices: ChoiceResult[] }>(
      tx,
      sql`select student_id, choices from round_draw
           where round_id = ${round.id} and student_id = any(${pgArray(students)}::int[])
           order by draw_position`,
    );
    // In their places of the draw; students added by teachers (never drawn) after them, by id.
    const order = [
      ...draws.map((row) => row.student_id),
      ...students.filter((id) => !draws.some((row) => row.student_id === id)).sort((a, b) => a - b),
    ];
    const loaded = await loadLottery(tx, round, students);
    const allocation = allocate({ ...loaded.input, seed: round.lottery_seed ?? 0, order });
    await writeAllocation(tx, allocation);
    for (const draw of draws) {
      const rerun = new Map((allocation.choices.get(draw.student_id) ?? []).map((c) => [c.activityId, c]));
      const choices = draw.choices.map((choice): ChoiceResult => {
        if (choice.activityId === request.activityId) return { ...choice, outcome: 'cancelled', pass: null };
        if (['placed', 'waitlisted', 'already_in'].includes(choice.outcome)) return choice;
        return rerun.get(choice.activityId) ?? choice;
      });
      await query(
        tx,
        sql`update round_draw set choices = ${JSON.stringify(choices)}::jsonb
             where round_id = ${round.id} and student_id = ${draw.student_id}`,
      );
    }
    await notify(tx, await movedNotices(tx, round, request.activityId, students));
    return {
      moved: students.length,
      placed: allocation.placements.length,
      waitlisted: allocation.waitlist.length,
    };
  });
}
