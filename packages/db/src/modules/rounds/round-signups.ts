// A signup for an activity of a round: the round's window, its per-student limits, its opening draw.
import { type EntityManager, TransactionPropagation } from '@mikro-orm/postgresql';
import { NotFoundError, NotSignedInError, PasswordResetError, RuleViolationError } from '../../errors.ts';
import { schoolTimeZone } from '../../env.ts';
import { pgArray, query, sql } from '../../sql.ts';
import {
  alreadySignedUp,
  type QuickSignupRow,
  ROUND_SELF_SIGNUP_STATEMENT,
  ROUND_SIGNUP_STATEMENT,
  signupResultOf,
  type SignupResult,
  type StaffAdd,
} from '../activities/signups.ts';
import { joinsAs } from '../activities/admission.ts';
import { findRound, openingDrawAt, roundSignupContext, spokenSchoolTime, type RoundRow } from './rounds.ts';
import { newSeed, shuffled } from './random.ts';
import { type Notice, notify } from '../notifications/notifications.ts';

/**
 * Advisory lock classes (pg_advisory_xact_lock(class, round id)). OPENING: signups held for the opening
 * draw take it shared, the draw's placement exclusive, so the placement sees every held signup that was
 * let in. RANKINGS: ranking changes take it shared, publication and cancellation exclusive.
 */
export const ROUND_LOCKS = { opening: 15_001, rankings: 15_002 } as const;

export interface RoundSignupRequest {
  studentId: number;
  activityId: number;
  roundId: number;
  /** A teacher's or admin's add: the window does not apply, the limits only with a stated reason. */
  staff?: StaffAdd | undefined;
  /** The student's own signup through their session (signUpWithSession): held FOR SHARE to the end. */
  tokenHash?: string | undefined;
  /** With tokenHash: the request, for the audit trail, which then names the student as the actor. */
  from?: { requestId: string; clientAddress: string } | undefined;
}

/**
 * The student's row is locked first (FOR NO KEY UPDATE, which does not block the foreign-key checks of
 * their other writes), so that one student's parallel signups in a round are counted one after another:
 * a plain count-then-insert would let two of them each see one free place under the limit. The window is
 * checked against the database's clock inside the transaction; the signup keeps that instant as its date.
 * A student's own signup holds their session (FOR SHARE) until it commits: a logout or password change that
 * committed first refuses it, one that comes later waits for it. Its insert also writes the student's notice
 * and reads their overlaps (ROUND_SELF_SIGNUP_STATEMENT, in SignupResult); a teacher's add leaves both to
 * its caller.
 */
export async function signUpInRound(em: EntityManager, request: RoundSignupRequest): Promise<SignupResult> {
  const { studentId, activityId, roundId, staff, tokenHash, from } = request;
  // In the caller's transaction where there is one (signUpWithSession's, a teacher's add): no savepoints.
  return em.transactional(
    async (tx) => {
      // The student's own signup also holds their session, and names them the audit trail's actor as the
      // signup statement does (setAuditActor's settings, local to this transaction).
      const [student] = await query<{
        id: number;
        name: string;
        grade: number | null;
        must_change_password: boolean;
      }>(
        tx,
        tokenHash === undefined
          ? sql`select id, name, grade, must_change_password from student where id = ${studentId} for no key update`
          : sql`select st.id, st.name, st.grade, st.must_change_password,
                       set_config('mergington.actor_kind', 'student', true),
                       set_config('mergington.actor_id', st.id::text, true),
                       set_config('mergington.actor_name', st.name, true),
                       set_config('mergington.request_id', ${from?.requestId.slice(0, 64) ?? ''}, true),
                       set_config('mergington.client_address', ${from?.clientAddress.slice(0, 64) ?? ''}, true)
                  from session s join student st on st.id = s.student_id
                 where s.token_hash = ${tokenHash} and s.student_id = ${studentId} and s.expires_at > now()
                   for share of s for no key update of st`,
      );
      if (!student && tokenHash !== undefined) throw new NotSignedInError();
      if (!student) throw new NotFoundError('student', studentId);
      if (student.must_change_password) throw new PasswordResetError();
      const context = await roundSignupContext(tx, roundId, activityId);
      const { round, activity } = context;
      let now = context.now;
      if (activity.cancelled) throw new RuleViolationError(`${activity.name} was cancelled`);
      if (!staff) refuseOutsideWindow(round, now);
      if (activity.allowed_grades && !(student.grade && activity.allowed_grades.includes(student.grade)))
        throw new RuleViolationError(
          `${activity.name} is open to grades ${activity.allowed_grades.join(', ')} only` +
            (student.grade ? `, not grade ${student.grade}` : ', and this student has no grade on record'),
        );

      const drawAt = openingDrawAt(round);
      let hold = false;
      if (drawAt && !round.opening_placed_at) {
        if (now >= round.opens_at && now < drawAt) {
          await tx.execute('select pg_advisory_xact_lock_shared(?, ?)', [ROUND_LOCKS.opening, roundId]);
          // Queued behind a placement, it may find the draw placed once it gets the lock: then it is late,
          // and first come from the instant it got the lock. Held, it arrived when the window let it in (the
          // lock may come after the window's end on a busy server: the rush benchmark saw held signups dated
          // up to 0.6 s past it).
          hold = !(await findRound(tx, roundId)).opening_placed_at;
          if (!hold) now = await clock(tx);
        } else if (now >= drawAt) {
          await placeOpeningDraw(tx, roundId);
        }
      }

      // "You" when the student asked, their name when a teacher did.
      const alreadyIn = () => alreadySignedUp(activity.name, tokenHash === undefined ? student.name : null);
      // Signed up already (or held): said as such, not as the limit this signup would also pass.
      const [already] = await query(
        tx,
        sql`select from activity_participant where activity_id = ${activityId} and student_id = ${studentId}
            union all
            select from opening_draw_entry where activity_id = ${activityId} and student_id = ${studentId}`,
      );
      if (already) throw alreadyIn();
      await checkLimits(tx, round, studentId, activityId, activity.name, staff);
      if (hold) {
        const inserted = await query<{ id: number }>(
          tx,
          sql`insert into opening_draw_entry (round_id, activity_id, student_id, arrived_at)
            select ${roundId}, ${activityId}, ${studentId}, ${now}
             where not exists (select 1 from activity_participant
                                where activity_id = ${activityId} and student_id = ${studentId})
            on conflict (activity_id, student_id) do nothing returning id`,
        );
        if (!inserted.length) throw alreadyIn();
        return { participantId: null, status: 'in_draw', waitlistPosition: null, drawResultsAt: drawAt };
      }
      const [row] = await tx.execute<Omit<QuickSignupRow, 'round_id'>[]>(
        tokenHash === undefined ? ROUND_SIGNUP_STATEMENT : ROUND_SELF_SIGNUP_STATEMENT,
        [studentId, activityId, now],
      );
      return signupResultOf(row!, activityId, tokenHash !== undefined);
    },
    { propagation: TransactionPropagation.REQUIRED },
  );
}

async function clock(em: EntityManager): Promise<Date> {
  const [row] = await em.execute<{ now: Date }[]>('select clock_timestamp() as now');
  return new Date(row!.now);
}

function refuseOutsideWindow(round: RoundRow, now: Date): void {
  const zone = schoolTimeZone();
  if (now < round.opens_at)
    throw new RuleViolationError(
      `signups for ${round.name} open at ${spokenSchoolTime(round.opens_at, zone)} (${zone})`,
    );
  if (now >= round.closes_at)
    throw new RuleViolationError(
      `signups for ${round.name} closed at ${spokenSchoolTime(round.closes_at, zone)} (${zone})`,
    );
  if (round.mode === 'lottery')
    throw new RuleViolationError(`${round.name} is a lottery: rank your choices instead of signing up`);
}

/**
 * The round's limits for one more activity: at most max_per_student signups (enrolled, waitlisted or held
 * for the opening draw) and, with no_overlap, none whose schedule overlaps one of the student's activities.
 * A student is refused; a teacher is shown the limits and must state a reason to go past them (stored).
 */
async function checkLimits(
  em: EntityManager,
  round: RoundRow,
  studentId: number,
  activityId: number,
  activityName: string,
  staff: StaffAdd | undefined,
): Promise<void> {
  const broken: string[] = [];
  if (round.max_per_student !== null) {
    const theirs = await query<{ name: string }>(
      em,
      sql`select a.name from activity_participant p
            join signup_round_activity ra on ra.activity_id = p.activity_id and ra.round_id = ${round.id}
            join activity a on a.id = p.activity_id
           where p.student_id = ${studentId} and ra.cancelled_at is null
          union all
          select a.name from opening_draw_entry e join activity a on a.id = e.activity_id
           where e.round_id = ${round.id} and e.student_id = ${studentId} and e.draw_position is null
          order by 1`,
    );
    if (theirs.length >= round.max_per_student)
      broken.push(
        `at most ${round.max_per_student} ${round.max_per_student === 1 ? 'activity' : 'activities'} of ` +
          `${round.name} per student, and this student has ${theirs.map((row) => row.name).join(', ')}`,
      );
  }
  if (round.no_overlap) {
    const clashes = await query<{ name: string }>(
      em,
      sql`select other.name
            from activity this, activity other
           where this.id = ${activityId} and other.id <> this.id
             and other.id in (select activity_id from activity_participant where student_id = ${studentId}
                              union
                              select activity_id from opening_draw_entry
                               where student_id = ${studentId} and draw_position is null)
             and this.schedule_days && other.schedule_days
             and this.start_time < other.end_time and other.start_time < this.end_time
           order by other.name`,
    );
    if (clashes.length)
      broken.push(
        `${activityName} overlaps ${clashes.map((row) => row.name).join(', ')} (no overlaps in ${round.name})`,
      );
  }
  if (!broken.length) return;
  if (!staff) throw new RuleViolationError(`Not allowed: ${broken.join('; ')}`);
  if (!staff.overrideReason)
    throw new RuleViolationError(
      `Over the round's limits: ${broken.join('; ')}. State a reason to override them.`,
    );
  await query(
    em,
    sql`insert into round_override (round_id, activity_id, student_id, teacher_id, rules_broken, reason)
        values (${round.id}, ${activityId}, ${studentId}, ${staff.teacherId}, ${broken.join('; ')}, ${staff.overrideReason})`,
  );
}

/**
 * Places the signups held in a first-come round's opening window, once: in a random order of the students
 * (seeded; the seed is stored), each student's signups in the order they were made, by the usual rule
 * (a seat while one is free, else the end of the waitlist). Whoever first acts on the round after the
 * window's end runs it (a signup, or a student reading the round); the exclusive advisory lock waits for
 * the held signups still in flight, and the stored placement time makes every later call a no-op.
 */
export async function placeOpeningDraw(em: EntityManager, roundId: number): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(?, ?)', [ROUND_LOCKS.opening, roundId]);
    const round = await findRound(tx, roundId);
    const drawAt = openingDrawAt(round);
    if (round.opening_placed_at || !drawAt || (await clock(tx)) < drawAt) return;
    const entries = await query<{ id: number; student_id: number; activity_id: number }>(
      tx,
      sql`select id, student_id, activity_id from opening_draw_entry where round_id = ${roundId} order by id`,
    );
    const seed = newSeed();
    const order = openingDrawOrder(entries, seed);
    const seats = await query<{
      id: number;
      name: string;
      enrolled_count: number;
      waitlist_count: number;
      max_participants: number;
    }>(
      tx,
      sql`select id, name, enrolled_count, waitlist_count, max_participants from activity
           where id in (select activity_id from signup_round_activity where round_id = ${roundId})
           order by id for update`,
    );
    const counts = new Map(
      seats.map((row) => [
        row.id,
        { enrolled: row.enrolled_count, waiting: row.waitlist_count, max: row.max_participants },
      ]),
    );
    const rows = order.map((entry) => {
      const activity = counts.get(entry.activity_id)!;
      const status = joinsAs(activity);
      if (status === 'enrolled') activity.enrolled++;
      else activity.waiting++;
      return { ...entry, status };
    });
    if (rows.length) {
      await query(
        tx,
        sql`insert into activity_participant (activity_id, student_id, status, signup_date)
            select placed.activity_id, placed.student_id, placed.status, e.arrived_at
              from unnest(${pgArray(rows.map((row) => row.activity_id))}::int[],
                          ${pgArray(rows.map((row) => row.student_id))}::int[],
                          ${pgArray(rows.map((row) => row.status))}::text[],
                          ${pgArray(rows.map((row) => row.id))}::int[]) with ordinality
                   as placed(activity_id, student_id, status, entry_id, place)
              join opening_draw_entry e on e.id = placed.entry_id
             order by place`,
      );
      await query(
        tx,
        sql`update opening_draw_entry e set draw_position = placed.position
              from unnest(${pgArray(rows.map((row) => row.id))}::int[], ${pgArray(rows.map((row) => row.position))}::int[])
                   as placed(id, position)
             where e.id = placed.id`,
      );
    }
    await query(
      tx,
      sql`update signup_round set opening_seed = ${seed}, opening_placed_at = clock_timestamp() where id = ${roundId}`,
    );
    await notify(tx, drawResultNotices(round, rows, new Map(seats.map((row) => [row.id, row.name]))));
  });
}

/** Each student of the opening draw is told where it put them: their places and their waitlists. */
function drawResultNotices(
  round: RoundRow,
  placed: readonly { student_id: number; activity_id: number; status: 'enrolled' | 'waitlisted' }[],
  names: ReadonlyMap<number, string>,
): Notice[] {
  const byStudent = new Map<number, { places: string[]; waitlists: string[] }>();
  for (const row of placed) {
    const results = byStudent.get(row.student_id) ?? { places: [], waitlists: [] };
    (row.status === 'enrolled' ? results.places : results.waitlists).push(names.get(row.activity_id)!);
    byStudent.set(row.student_id, results);
  }
  return [...byStudent].map(([studentId, results]) => ({
    studentId,
    kind: 'round_results',
    payload: { roundId: round.id, roundName: round.name, ...results },
  }));
}

/**
 * The opening draw's order: students shuffled by the seed (from id order: when in the window they clicked
 * plays no part), each student's entries in the order they made them; position is the student's place.
 */
export function openingDrawOrder<E extends { id: number; student_id: number }>(
  entries: readonly E[],
  seed: number,
): (E & { position: number })[] {
  const byStudent = new Map<number, E[]>();
  for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
    const list = byStudent.get(entry.student_id) ?? [];
    list.push(entry);
    byStudent.set(entry.student_id, list);
  }
  const students = shuffled(
    [...byStudent.keys()].sort((a, b) => a - b),
    seed,
  );
  return students.flatMap((studentId, index) =>
    byStudent.get(studentId)!.map((entry) => ({ ...entry, position: index + 1 })),
  );
}
