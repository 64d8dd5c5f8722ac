import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ParticipantStatus,
  nameFromEmail,
  type MySignupDto,
  type ParticipantAddInput,
  type ParticipantNewStudentInput,
  type Page,
  type ParticipantDto,
  type ParticipantListInput,
  type SignupResultDto,
  scheduleText,
  type Weekday,
} from '@mergington/contract';
import { Activity, ActivityParticipant, Student } from '../../entities/index.ts';
import {
  ActivityFullError,
  ConflictError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
  PasswordResetError,
  RuleViolationError,
} from '../../errors.ts';
import { hashToken } from '../accounts/accounts.ts';
import { preparedStatement } from '../../bound-parameters.ts';
import { leaveGroupsOfActivity } from '../groups/groups.ts';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql } from '../../sql.ts';
import { insertNoticesSql, type Notice, notify } from '../notifications/notifications.ts';
import { joinsAsSql } from './admission.ts';
import { signUpInRound } from '../rounds/round-signups.ts';

export interface SignupResult {
  participantId: number | null;
  /** in_draw: held for a first-come round's opening draw until drawResultsAt. */
  status: ParticipantStatus | 'in_draw';
  /** 1 for the first in line; null when enrolled. */
  waitlistPosition: number | null;
  drawResultsAt: Date | null;
  /**
   * The student's overlapping activities, where the statement that signed them up read them (a student's
   * own signup); otherwise they are read after the signup commits (overlaps()).
   */
  overlaps?: OverlapDto[];
}

type OverlapDto = ReturnType<typeof overlapOf>;

/** A teacher's add: a signup round's window does not apply, and its limits may be passed with a stated reason. */
export interface StaffAdd {
  teacherId: number;
  overrideReason?: string | undefined;
}

/**
 * Signs a student up for an activity: enrolled while seats remain, else waitlisted at the end of the line.
 * One statement does it all, so the activity's row lock (FOR UPDATE) is held for that statement only: the
 * lock serialises the signups and withdrawals of one activity, the seat check reads the counters under it,
 * and the database's seat trigger and unique index back it up. A free seat with people in line goes to
 * them (they are about to be promoted), not to the newcomer. An activity of a signup round inserts nothing
 * here: the statement names the round, and the round's rules take over (signUpInRound, one transaction).
 */
export async function signUp(
  em: EntityManager,
  studentId: number,
  activityId: number,
  staff?: StaffAdd,
): Promise<SignupResult> {
  const [row] = await em.execute<SignupRow[]>(SIGNUP_BY_ID_STATEMENT, [studentId, activityId]);
  refuseCaller(row!, activityId);
  if (row!.round_id !== null)
    return signUpInRound(em, { studentId, activityId, roundId: row!.round_id, staff });
  return signupResultOf(row!, activityId);
}

/**
 * signUp for the student a session token names, checked in the same statement: a session that is missing,
 * expired or not a student's signs no one up and locks nothing, and since nothing is cached, a logout,
 * password change or deleted account refuses the very next call on every API process. The signup and its
 * notice (confirmed, or waitlisted with the position) commit together; a refused signup writes none.
 *
 * Most signups are SIGNUP_STATEMENT alone: one round trip, no transaction around it, so a rush's hot
 * activity is locked only while PostgreSQL runs the statement; the notice's email, when due, is queued by
 * the queue runners within a second (queueWaitingEmails). An activity of a signup round is declined by it;
 * the round's rules take over, holding the session FOR SHARE while they apply (a logout that commits first
 * refuses the signup, one that comes later waits for it): in one more statement, whose database function
 * checks them (ROUND_CHECKED_SIGNUP_STATEMENT), or, when one of them may refuse, in a transaction
 * (signUpInRound), which says why.
 */
export async function signUpWithSession(
  em: EntityManager,
  token: string,
  activityId: number,
  from: { requestId: string; clientAddress: string },
): Promise<SignupResultDto> {
  const tokenHash = hashToken(token);
  const requestId = from.requestId.slice(0, 64);
  const clientAddress = from.clientAddress.slice(0, 64);
  const [quick] = await em.execute<QuickSignupRow[]>(SIGNUP_STATEMENT, [
    requestId,
    clientAddress,
    tokenHash,
    activityId,
  ]);
  if (quick!.round_id === null) {
    refuseCaller(quick!, activityId);
    const result = signupResultOf(quick!, activityId, true);
    return { ...dtoOf(activityId, result), overlaps: result.overlaps ?? [] };
  }
  // An activity of a round (the statement found the student, and inserted and locked nothing): most such
  // signups are one more statement, whose function checks the round's rules.
  const [checked] = await em.execute<CheckedRoundSignupRow[]>(ROUND_CHECKED_SIGNUP_STATEMENT, [
    tokenHash,
    activityId,
    requestId,
    clientAddress,
    activityId,
  ]);
  const answer = checkedRoundResult(checked!, activityId);
  if (answer) return answer;
  // A rule may refuse it (or the opening draw is to be placed first): the round's rules in a transaction
  // say why. The round's own signup statement writes the notice and reads the overlaps, as this one would
  // have; a signup held for the opening draw has no notice yet, and its overlaps are read after it commits.
  const studentId = quick!.student_id!;
  const roundId = quick!.round_id;
  const result = await em.transactional((tx) =>
    signUpInRound(tx, { studentId, activityId, roundId, tokenHash, from: { requestId, clientAddress } }),
  );
  if (result.overlaps) return { ...dtoOf(activityId, result), overlaps: result.overlaps };
  // The signup is committed by now: the overlap notice is advice, and a database too busy to give it (a
  // pool or statement timeout under a rush) must not turn an accepted signup into a reported failure, which
  // the student would retry into "already signed up".
  return withOverlaps(em, studentId, activityId, result).catch(() => ({
    ...dtoOf(activityId, result),
    overlaps: [],
  }));
}

/**
 * The answer of ROUND_CHECKED_SIGNUP_STATEMENT's row; null when it did nothing (the function declined, or
 * the student was held already: signUpInRound then says why).
 */
function checkedRoundResult(row: CheckedRoundSignupRow, activityId: number): SignupResultDto | null {
  if (row.caller === null || (row.held && row.held_id === null)) return null;
  const result: SignupResult = row.held
    ? {
        participantId: null,
        status: 'in_draw',
        waitlistPosition: null,
        drawResultsAt: new Date(row.results_at!),
      }
    : signupResultOf(row, activityId, true);
  return { ...dtoOf(activityId, result), overlaps: (row.overlaps ?? []).map(overlapOf) };
}

/**
 * A student's signup, with the activities of theirs whose schedule overlaps (for a warning). `staff` when a
 * teacher or admin adds them (a round's window does not apply; its limits only with a stated reason). The
 * signup and its notification (by themselves: confirmed or waitlisted; by a teacher: added) commit together.
 */
export async function signUpStudent(
  em: EntityManager,
  studentId: number,
  activityId: number,
  staff?: StaffAdd,
  by: 'student' | 'teacher' = staff ? 'teacher' : 'student',
): Promise<SignupResultDto> {
  const result = await em.transactional(async (tx) => {
    const result = await signUp(tx, studentId, activityId, staff);
    await notify(tx, signupNotices(studentId, activityId, result, by));
    return result;
  });
  return withOverlaps(em, studentId, activityId, result);
}

/**
 * What a signup tells the student: by themselves, confirmed or waitlisted; by a teacher, added. A signup held
 * for a round's opening draw tells nothing yet: its place is not known until the draw.
 */
function signupNotices(
  studentId: number,
  activityId: number,
  result: SignupResult,
  by: 'student' | 'teacher',
): Notice[] {
  if (result.status === 'in_draw') return [];
  const payload = {
    activityId,
    ...(result.waitlistPosition === null ? {} : { waitlistPosition: result.waitlistPosition }),
  };
  const kind =
    by === 'teacher'
      ? 'added_by_teacher'
      : result.status === 'enrolled'
        ? 'signup_confirmed'
        : 'signup_waitlisted';
  return [{ studentId, kind, payload }];
}

async function withOverlaps(
  em: EntityManager,
  studentId: number,
  activityId: number,
  result: SignupResult,
): Promise<SignupResultDto> {
  return { ...dtoOf(activityId, result), overlaps: await overlaps(em, studentId, activityId) };
}

const dtoOf = (activityId: number, result: SignupResult) => ({
  activityId,
  status: result.status,
  waitlistPosition: result.waitlistPosition,
  drawResultsAt: result.drawResultsAt,
});

/** The refusals that come before any rule of the activity or its round: who is asking, and what for. */
function refuseCaller(row: SignupRow, activityId: number): void {
  if (row.caller === null) throw new NotSignedInError();
  if (row.caller !== 'student')
    throw new NotAllowedError(
      `You are signed in as ${row.caller === 'admin' ? 'an admin' : 'a teacher'}; only students may do this`,
    );
  if (row.student_id === null) throw new NotFoundError('student', row.caller_student_id!);
  if (row.must_change_password) throw new PasswordResetError();
  if (row.name === null) throw new NotFoundError('activity', activityId);
}

/** The answer of a signup statement's row: the signup, or why it inserted nothing. */
export function signupResultOf(
  row: Omit<SignupRow, 'round_id'> & { overlaps?: ScheduleRow[] | null },
  activityId: number,
  /** The student asked for themselves: the messages say "you". */
  self = false,
): SignupResult {
  refuseCaller({ ...row, round_id: null }, activityId);
  if (row.participant_id === null || row.status === null) {
    if (row.allowed_grades && !(row.grade && row.allowed_grades.includes(row.grade))) {
      throw new RuleViolationError(
        `${row.name} is open to grades ${row.allowed_grades.join(', ')} only` +
          (row.grade ? `, not grade ${row.grade}` : ', and this student has no grade on record'),
      );
    }
    throw alreadySignedUp(row.name!, self ? null : row.student_name!);
  }
  return {
    participantId: row.participant_id,
    status: row.status,
    waitlistPosition: row.waitlist_position,
    drawResultsAt: null,
    ...(row.overlaps ? { overlaps: row.overlaps.map(overlapOf) } : {}),
  };
}

/** "You are already signed up for Chess Club", or the student's name when someone else asked. */
export const alreadySignedUp = (activityName: string, studentName: string | null) =>
  new ConflictError(
    `${studentName ?? 'You'} ${studentName ? 'is' : 'are'} already signed up for ${activityName}`,
    'activityId',
  );

/** The row the signup statements answer (row-types.test.ts checks it against them). */
export interface SignupRow {
  /** Who the caller is: null when the session is missing or expired. */
  caller: 'student' | 'teacher' | 'admin' | null;
  caller_student_id: number | null;
  /** The student, when the caller is one that exists. */
  student_id: number | null;
  student_name: string | null;
  grade: number | null;
  /** An admin reset the student's password: they sign up for nothing until they choose their own. */
  must_change_password: boolean;
  /** The activity, when it exists (and the caller is a student). */
  name: string | null;
  allowed_grades: number[] | null;
  participant_id: number | null;
  status: ParticipantStatus | null;
  waitlist_position: number | null;
  /** The activity's signup round: then nothing was inserted (not answered by ROUND_SIGNUP_STATEMENT). */
  round_id: number | null;
}

/** The row of SIGNUP_STATEMENT: a SignupRow, and what the statement alone decided. */
export interface QuickSignupRow extends SignupRow {
  /**
   * The student's other activities that overlap this one (overlaps() in one column): a column of `who`, so
   * that it is read before the activity is locked (target waits for who). As in overlaps(), the student's
   * own signups are read first (`offset 0` keeps the planner from folding them in): planned from the
   * statistics of a near-empty signup table, as when signups open, the folded form probed the signup index
   * once per activity of the school (500 probes, 0.5 ms, against 0.08 ms). Outside a round's rules, an
   * activity of a round reads none: the statement declines it, and the round's statement reads them.
   */
  overlaps: ScheduleRow[] | null;
}

/** Which of the signup statements signupStatement builds. */
interface StatementShape {
  /** ROUND_SIGNUP_STATEMENT: signUpInRound has checked the round's rules; the signup keeps its date. */
  inRound?: boolean;
  /**
   * A student's own signup (SIGNUP_STATEMENT, ROUND_SELF_SIGNUP_STATEMENT): it also writes their notice
   * (its email, if due, is queued by the queue runners: queueWaitingEmails) and reads their overlaps.
   */
  complete?: boolean;
  /**
   * With inRound: the caller is round_self_signup_check's row (a student's own signup whose round's rules
   * the function checked), which also gives the signup's date and whether it is held for the opening draw.
   */
  checked?: boolean;
}

/**
 * The signup, for the caller `callerSql` selects (columns student_id, teacher_id; at most one row). The
 * activity is locked only when the caller is a student who exists. Outside a round's rules (`inRound`
 * false), an activity of a signup round is neither locked nor inserted into: the row names the round, whose
 * rules take over (signUpInRound locks the student before the activity, as every round signup does, so this
 * statement must not have locked the activity first).
 */
const signupStatement = (
  callerSql: string,
  { inRound = false, complete = false, checked = false }: StatementShape = {},
) => `with caller as (
       ${callerSql}
     ), wanted as (
       select ?::int as id
     ), who as (
       select student.id, student.name, student.grade, student.must_change_password${
         complete
           ? `,
              (select coalesce(json_agg(json_build_object('id', other.id, 'name', other.name, 'schedule', other.schedule,
                                                 'schedule_days', other.schedule_days,
                                                 'start_time', other.start_time::text, 'end_time', other.end_time::text)
                               order by other.name), '[]')
                 from (select activity_id from activity_participant where student_id = student.id offset 0) mine
                 join activity other on other.id = mine.activity_id
                 join activity this on this.id = (select id from wanted)
                where mine.activity_id <> this.id${
                  inRound
                    ? ''
                    : `
                  and not exists (select from signup_round_activity r where r.activity_id = this.id)`
                }
                  and this.schedule_days && other.schedule_days
                  and this.start_time < other.end_time and other.start_time < this.end_time) as overlaps`
           : ''
       }
         from caller join student on student.id = caller.student_id
     ), ${
       inRound
         ? ''
         : `round as (
       select r.round_id, a.name, a.allowed_grades
         from signup_round_activity r join activity a on a.id = r.activity_id
        where r.activity_id = (select id from wanted) and exists (select from who)
     ), `
     }target as (
       select id, name, max_participants, enrolled_count, waitlist_count, allowed_grades
         from activity
        where id = (select id from wanted)
          and exists (select from who where not must_change_password)${
            inRound
              ? ''
              : '\n          and not exists (select from signup_round_activity r where r.activity_id = activity.id)'
          }${checked ? '\n          and exists (select from caller where not held)' : ''}
          for update
     ), inserted as (
       insert into activity_participant (activity_id, student_id, status${inRound ? ', signup_date' : ''})
       select target.id, who.id,
              ${joinsAsSql('target').text}${
                inRound ? (checked ? ', (select checked_at from caller)' : ', ?::timestamptz') : ''
              }
         from target, who
        where target.allowed_grades is null or who.grade = any(target.allowed_grades)
       on conflict (activity_id, student_id) do nothing
       returning id, status
     )${
       checked
         ? `, held as (
       insert into opening_draw_entry (round_id, activity_id, student_id, arrived_at)
       select signup_round_id, (select id from wanted), student_id, checked_at from caller where held
       on conflict (activity_id, student_id) do nothing
       returning id
     )`
         : ''
     }${
       complete
         ? `, noticed as (
       ${insertNoticesSql(
         `select who.id as student_id,
                      case when inserted.status = 'enrolled' then 'signup_confirmed' else 'signup_waitlisted' end as kind,
                      jsonb_strip_nulls(jsonb_build_object(
                        'activityId', target.id,
                        'waitlistPosition', case when inserted.status = 'waitlisted' then target.waitlist_count + 1 end)) as payload,
                      null::text as dedupe_key
                 from inserted, who, target`,
         { queueLater: true },
       )}
     )`
         : ''
     }
     select case when caller.student_id is not null then 'student'
                 when caller.teacher_id is not null then (select role from teacher where id = caller.teacher_id)
            end as caller,
            caller.student_id as caller_student_id, who.id as student_id, who.name as student_name, who.grade,
            coalesce(who.must_change_password, false) as must_change_password,
            ${
              inRound
                ? 'target.name, target.allowed_grades'
                : 'coalesce(target.name, round.name) as name, coalesce(target.allowed_grades, round.allowed_grades) as allowed_grades'
            },
            inserted.id as participant_id, inserted.status,
            case when inserted.status = 'waitlisted' then target.waitlist_count + 1 end as waitlist_position${
              inRound ? '' : ', round.round_id'
            }${complete ? ', who.overlaps' : ''}${
              checked ? ', caller.held, held.id as held_id, caller.results_at' : ''
            }
       from (select) as one left join caller on true left join who on true
            left join target on true left join inserted on true${inRound ? '' : ' left join round on true'}${
              checked ? ' left join held on true' : ''
            }`;

/**
 * The session check of a student's own signup: parameters the request id, the client address, then the
 * session token's hash. It names the session's user as the audit trail's actor itself (the settings
 * setAuditActor writes, local to the statement's transaction): a volatile function keeps the CTE from being
 * inlined away, so the settings are made before the insert's triggers run.
 */
const BY_SESSION = `select s.student_id, s.teacher_id,
          set_config('mergington.actor_kind', case when s.student_id is null then 'teacher' else 'student' end, true),
          set_config('mergington.actor_id', coalesce(s.student_id, s.teacher_id)::text, true),
          set_config('mergington.actor_name', coalesce(st.name, t.name), true),
          set_config('mergington.request_id', ?, true),
          set_config('mergington.client_address', ?, true)
     from session s left join student st on st.id = s.student_id left join teacher t on t.id = s.teacher_id
    where s.token_hash = ? and s.expires_at > now()`;

/**
 * A student's own signup in one statement, sent on its own (its own transaction, so the activity's lock is
 * held only while PostgreSQL runs it, never across a round trip): the session check, the signup, its notice
 * and the overlaps (QuickSignupRow). Parameters: the request id, the client address, the session token's
 * hash, then the activity id. It declines an activity of a round (signUpWithSession then applies its rules).
 * Prepared once per connection (it is the rush's statement). pnpm bench:api and bench:rush run it in pgbench.
 */
export const SIGNUP_STATEMENT = preparedStatement(signupStatement(BY_SESSION, { complete: true }));

const BY_STUDENT_ID = `select ?::int as student_id, null::int as teacher_id`;
/** The statement of signUp: parameters the student id, then the activity id. */
const SIGNUP_BY_ID_STATEMENT = signupStatement(BY_STUDENT_ID);
/**
 * The statement of a round's signup, whose rules signUpInRound has checked in its transaction: parameters the
 * student id, the activity id, and the instant the window was checked at (kept as the signup's date).
 */
export const ROUND_SIGNUP_STATEMENT = signupStatement(BY_STUDENT_ID, { inRound: true });
/**
 * ROUND_SIGNUP_STATEMENT for a student's own signup: it also writes their notice and reads their overlaps,
 * as SIGNUP_STATEMENT does (QuickSignupRow but round_id).
 */
export const ROUND_SELF_SIGNUP_STATEMENT = preparedStatement(
  signupStatement(BY_STUDENT_ID, { inRound: true, complete: true }),
);

/**
 * A student's own signup in a first-come round, in one statement, sent on its own as SIGNUP_STATEMENT is:
 * round_self_signup_check (a database function, migration RoundSignupCheck) checks the session and the
 * round's rules, with the student's row locked first as signUpInRound does, then the statement signs them
 * up (a notice, the overlaps) or holds them for the opening draw. Parameters: the session token's hash,
 * the activity id, the request id, the client address, then the activity id again. When any rule may refuse,
 * the function answers no row and this statement does nothing (caller null): signUpInRound then applies
 * the rules in a transaction and says why.
 */
export const ROUND_CHECKED_SIGNUP_STATEMENT = preparedStatement(
  signupStatement(
    `select signer_id as student_id, null::int as teacher_id, signup_round_id, checked_at, held, results_at
       from round_self_signup_check(?, ?, ?, ?)`,
    { inRound: true, complete: true, checked: true },
  ),
);

/** The row of ROUND_CHECKED_SIGNUP_STATEMENT. */
export interface CheckedRoundSignupRow extends Omit<QuickSignupRow, 'round_id'> {
  /** Held for the round's opening draw (held_id the entry, null when it was there already). */
  held: boolean | null;
  held_id: number | null;
  /** When the opening draw gives its places (a held signup's). */
  results_at: Date | null;
}

export interface WithdrawResult {
  /** The student who took the freed seat, if someone was waiting. */
  promotedStudentId: number | null;
}

/**
 * Withdraws a signup (and the student's group of that activity); when it held a seat, the first student
 * in line takes it in the same transaction, and is told so (fillFreeSeats). A teacher's removal tells the
 * removed student too.
 */
export async function withdraw(
  em: EntityManager,
  studentId: number,
  activityId: number,
  by: 'student' | 'teacher' = 'student',
): Promise<WithdrawResult> {
  return em.transactional(async (tx) => {
    const activity = await tx.findOne(Activity, activityId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!activity) throw new NotFoundError('activity', activityId);
    const deleted = await tx.nativeDelete(ActivityParticipant, { activity: activityId, student: studentId });
    if (!deleted) {
      const who =
        by === 'student' ? 'You are' : `${(await tx.findOne(Student, studentId))?.name ?? 'This student'} is`;
      throw new NotFoundError('signup', studentId, `${who} not signed up for ${activity.name}`);
    }
    await leaveGroupsOfActivity(tx, studentId, activityId);
    if (by === 'teacher') {
      await notify(tx, [{ studentId, kind: 'removed_by_teacher', payload: { activityId } }]);
    }
    const promoted = await fillFreeSeats(tx, activityId);
    return { promotedStudentId: promoted[0] ?? null };
  });
}

/**
 * Moves students from the front of the waitlist into free seats, oldest signup first, and tells each of
 * them (in the caller's transaction); returns their ids. The caller holds the activity's row lock
 * (withdrawals, a raised capacity, a deleted student).
 */
export async function fillFreeSeats(em: EntityManager, activityId: number): Promise<number[]> {
  const rows: { student_id: number }[] = await em.execute(
    `update activity_participant set status = 'enrolled'
      where id in (
        select id from activity_participant
         where activity_id = ? and status = 'waitlisted'
         order by id
         limit (select greatest(max_participants - enrolled_count, 0) from activity where id = ?))
      returning student_id`,
    [activityId, activityId],
  );
  await notify(
    em,
    rows.map((row) => ({ studentId: row.student_id, kind: 'promoted', payload: { activityId } })),
  );
  return rows.map((row) => row.student_id);
}

export interface WaitlistEntry {
  studentId: number;
  position: number;
}

/** The waitlist of an activity in order, positions from 1. */
export async function waitlist(em: EntityManager, activityId: number): Promise<WaitlistEntry[]> {
  const rows: { student_id: number; position: string }[] = await em.execute(
    `select student_id, row_number() over (order by id) as position
       from activity_participant where activity_id = ? and status = 'waitlisted' order by id`,
    [activityId],
  );
  return rows.map((row) => ({ studentId: row.student_id, position: Number(row.position) }));
}

/**
 * The student's other activities that meet on a day this one does, at overlapping times. The student's own
 * signups are read first (materialized): a student has a handful, while a plan that probes every activity
 * for them, which stale statistics choose when signups open on a near-empty table, took 7 to 27 ms.
 */
export async function overlaps(em: EntityManager, studentId: number, activityId: number) {
  const rows = await em.execute<ScheduleRow[]>(
    `with mine as materialized (
       select activity_id from activity_participant where student_id = ? and activity_id <> ?
     )
     select other.id, other.name, other.schedule, other.schedule_days,
            other.start_time::text as start_time, other.end_time::text as end_time
       from mine
       join activity other on other.id = mine.activity_id
       join activity this on this.id = ?
      where this.schedule_days && other.schedule_days
        and this.start_time < other.end_time and other.start_time < this.end_time
      order by other.name`,
    [studentId, activityId, activityId],
  );
  return rows.map(overlapOf);
}

const overlapOf = (row: ScheduleRow) => ({ id: row.id, name: row.name, schedule: scheduleOf(row) });

interface ScheduleRow {
  id: number;
  name: string;
  schedule: string;
  schedule_days: Weekday[] | null;
  start_time: string | null;
  end_time: string | null;
}

/** The schedule people see: the days and times where they are given (the contract's scheduleText). */
const scheduleOf = (row: Omit<ScheduleRow, 'id' | 'name'>) =>
  scheduleText({
    schedule: row.schedule,
    scheduleDays: row.schedule_days,
    startTime: row.start_time,
    endTime: row.end_time,
  });

/** A student's signups, with their place in line where waitlisted. */
export async function mySignups(em: EntityManager, studentId: number): Promise<MySignupDto[]> {
  const rows = await em.execute<
    (ScheduleRow & { status: ParticipantStatus; position: number | null; signup_date: Date })[]
  >(
    `select a.id, a.name, a.schedule, a.schedule_days, a.start_time::text as start_time,
            a.end_time::text as end_time, p.status, p.signup_date,
            case when p.status = 'waitlisted' then
              (select count(*)::int from activity_participant q
                where q.activity_id = p.activity_id and q.status = 'waitlisted' and q.id <= p.id)
            end as position
       from activity_participant p join activity a on a.id = p.activity_id
      where p.student_id = ? order by a.name`,
    [studentId],
  );
  return rows.map((row) => ({
    activity: { id: row.id, name: row.name, schedule: scheduleOf(row) },
    status: row.status,
    waitlistPosition: row.position,
    signupDate: new Date(row.signup_date),
  }));
}

/** The participants of an activity: enrolled by name, then the waitlist in order. */
export async function listParticipants(
  em: EntityManager,
  input: ParticipantListInput,
): Promise<Page<ParticipantDto>> {
  if (!(await em.count(Activity, { id: input.activityId })))
    throw new NotFoundError('activity', input.activityId);
  const rows = await query<ParticipantRow>(em, participantListStatement(input));
  const items = rows.map((row) => ({
    studentId: row.student_id,
    email: row.email,
    name: row.name,
    grade: row.grade,
    status: row.status,
    waitlistPosition: row.position === null ? null : Number(row.position),
    signupDate: new Date(row.signup_date),
  }));
  return toPage(items, rows[0]?.total, input);
}

/** The statement of listParticipants. */
export function participantListStatement(input: ParticipantListInput): Sql {
  const ofStatus = input.status ? sql`and p.status = ${input.status}` : sql``;
  return sql`select p.student_id, s.email, s.name, s.grade, p.status, p.signup_date, ${TOTAL_COLUMN},
               case when p.status = 'waitlisted' then row_number() over (partition by p.status order by p.id) end as position
          from activity_participant p join student s on s.id = p.student_id
         where p.activity_id = ${input.activityId} ${ofStatus}
         order by p.status, case when p.status = 'enrolled' then s.name end, p.id
         ${pageClause(input)}`;
}

/** A row of listParticipants. */
export interface ParticipantRow {
  student_id: number;
  email: string;
  name: string;
  grade: number | null;
  status: ParticipantStatus;
  position: string | null;
  signup_date: Date;
  total: string;
}

/**
 * The old app's API (LEGACY_API, modules/legacy) signs up by email as the old app did: an email no student has
 * yet becomes a student without a password (as the old participant lists did), in the signup's transaction, so a
 * refused signup leaves no new student behind. Two signups of one new email at once make one student: the
 * second insert waits for the first and then finds it. The web app and participants.add never do this (a typo
 * once became a student and took a real seat): they use addParticipant and addNewStudent.
 *
 * `whenFull: 'refuse'` (the old app's first API, which had no waitlist) refuses a signup that would be
 * waitlisted with ActivityFullError, and nothing of it stays. `by` is who the student is told signed them
 * up: a teacher (LEGACY_API=teachers), or, on the old open page where anyone types an email, no one in
 * particular (a plain confirmation or waitlisting). `staff` when a teacher calls (LEGACY_API teachers): a
 * signup round's window does not apply, and its limits hold (the old API cannot state a reason).
 */
export async function addParticipantByEmail(
  em: EntityManager,
  activityId: number,
  email: string,
  whenFull: 'waitlist' | 'refuse' = 'waitlist',
  by: 'student' | 'teacher' = 'teacher',
  staff?: StaffAdd,
): Promise<SignupResultDto> {
  return em.transactional(async (tx) => {
    await tx.execute(`insert into student (email, name) values (?, ?) on conflict (email) do nothing`, [
      email,
      nameFromEmail(email),
    ]);
    const [student] = await tx.execute<{ id: number }[]>(`select id from student where email = ?`, [email]);
    const result = await signUpStudent(tx, student!.id, activityId, staff, by);
    if (result.status === 'waitlisted' && whenFull === 'refuse') throw new ActivityFullError();
    return result;
  });
}

/**
 * A teacher signs up a student the school knows, picked by id or given by email. An unknown email is refused
 * (a typo once became a student and took a real seat): a new student's account is addNewStudent's explicit step.
 * In a signup round the window does not apply to them, and the limits only with `overrideReason` (stored).
 */
export async function addParticipant(
  em: EntityManager,
  input: ParticipantAddInput,
  teacherId: number,
): Promise<SignupResultDto> {
  const student = await em.findOne(
    Student,
    input.studentId !== undefined ? { id: input.studentId } : { email: input.email },
  );
  if (!student) {
    if (input.studentId !== undefined) throw new NotFoundError('student', input.studentId);
    throw new NotFoundError('student with email', input.email!);
  }
  return signUpStudent(em, student.id, input.activityId, {
    teacherId,
    overrideReason: input.overrideReason,
  });
}

/**
 * Creates the account of a student the school does not know yet (no password: they cannot log in until an
 * admin gives them one, as the old participant lists did) and signs them up, in one transaction, so a refused
 * signup leaves no new student behind. A signup round's rules as for addParticipant.
 */
export async function addNewStudent(
  em: EntityManager,
  input: ParticipantNewStudentInput,
  teacherId: number,
): Promise<SignupResultDto> {
  return em.transactional(async (tx) => {
    if (await tx.count(Student, { email: input.email })) {
      throw new ConflictError(
        `a student with email ${input.email} already exists: pick them instead`,
        'email',
      );
    }
    const student = tx.create(Student, { email: input.email, name: input.name, grade: input.grade });
    await tx.flush();
    return signUpStudent(tx, student.id, input.activityId, {
      teacherId,
      overrideReason: input.overrideReason,
    });
  });
}

/** A teacher removes a student by email (the old open page's removals are `by: 'student'`: no "a teacher" said). */
export async function removeParticipantByEmail(
  em: EntityManager,
  activityId: number,
  email: string,
  by: 'student' | 'teacher' = 'teacher',
): Promise<WithdrawResult> {
  const student = await em.findOne(Student, { email });
  if (!student) throw new NotFoundError('student with email', email);
  return withdraw(em, student.id, activityId, by);
}
