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
} from '@mergington/contract';
import { Activity, ActivityParticipant, Student } from '../../entities/index.ts';
import {
  ActivityFullError,
  ConflictError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
  RuleViolationError,
} from '../../errors.ts';
import { hashToken } from '../accounts/accounts.ts';
import { leaveGroupsOfActivity } from '../groups/groups.ts';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql } from '../../sql.ts';
import { type Notice, notify } from '../notifications/notifications.ts';
import { joinsAsSql } from './admission.ts';

export interface SignupResult {
  participantId: number;
  status: ParticipantStatus;
  /** 1 for the first in line; null when enrolled. */
  waitlistPosition: number | null;
}

/**
 * Signs a student up for an activity: enrolled while seats remain, else waitlisted at the end of the line.
 * One statement does it all, so the activity's row lock (FOR UPDATE) is held for that statement only: the
 * lock serialises the signups and withdrawals of one activity, the seat check reads the counters under it,
 * and the database's seat trigger and unique index back it up. A free seat with people in line goes to
 * them (they are about to be promoted), not to the newcomer.
 */
export async function signUp(
  em: EntityManager,
  studentId: number,
  activityId: number,
): Promise<SignupResult> {
  const [row] = await em.execute<SignupRow[]>(SIGNUP_BY_ID_STATEMENT, [studentId, activityId]);
  return signupResultOf(row!, activityId);
}

/**
 * signUp for the student a session token names, checked in the same statement (one round trip, not a
 * session lookup and then the signup): a session that is missing, expired or not a student's signs no one
 * up and locks nothing, and since nothing is cached, a logout, password change or deleted account refuses
 * the very next call on every API process. The signup and its notification (confirmed, or waitlisted with
 * the position) commit together; a refused signup writes none.
 */
export async function signUpWithSession(
  em: EntityManager,
  token: string,
  activityId: number,
): Promise<SignupResultDto> {
  const { studentId, result } = await em.transactional(async (tx) => {
    const [row] = await tx.execute<SignupRow[]>(SIGNUP_STATEMENT, [hashToken(token), activityId]);
    const result = signupResultOf(row!, activityId);
    await notify(tx, signupNotices(row!.student_id!, activityId, result, 'student'));
    return { studentId: row!.student_id!, result };
  });
  return withOverlaps(em, studentId, activityId, result);
}

/**
 * A student's signup, with the activities of theirs whose schedule overlaps (for a warning). The signup and
 * its notification (by themselves: confirmed or waitlisted; by a teacher: added) commit together.
 */
export async function signUpStudent(
  em: EntityManager,
  studentId: number,
  activityId: number,
  by: 'student' | 'teacher' = 'student',
): Promise<SignupResultDto> {
  const result = await em.transactional(async (tx) => {
    const result = await signUp(tx, studentId, activityId);
    await notify(tx, signupNotices(studentId, activityId, result, by));
    return result;
  });
  return withOverlaps(em, studentId, activityId, result);
}

/** What a signup tells the student: by themselves, confirmed or waitlisted; by a teacher, added. */
function signupNotices(
  studentId: number,
  activityId: number,
  result: SignupResult,
  by: 'student' | 'teacher',
): Notice[] {
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
  return {
    activityId,
    status: result.status,
    waitlistPosition: result.waitlistPosition,
    overlaps: await overlaps(em, studentId, activityId),
  };
}

function signupResultOf(row: SignupRow, activityId: number): SignupResult {
  if (row.caller === null) throw new NotSignedInError();
  if (row.caller !== 'student') throw new NotAllowedError('only students may do this');
  if (row.student_id === null) throw new NotFoundError('student', row.caller_student_id!);
  if (row.must_change_password) {
    throw new NotAllowedError('your password was reset by an admin: choose a new one first (My account)');
  }
  if (row.name === null) throw new NotFoundError('activity', activityId);
  if (row.participant_id === null || row.status === null) {
    if (row.allowed_grades && !(row.grade && row.allowed_grades.includes(row.grade))) {
      throw new RuleViolationError(
        `${row.name} is open to grades ${row.allowed_grades.join(', ')} only` +
          (row.grade ? `, not grade ${row.grade}` : ', and this student has no grade on record'),
      );
    }
    throw new ConflictError(`student ${row.student_id} is already signed up for ${row.name}`, 'activityId');
  }
  return { participantId: row.participant_id, status: row.status, waitlistPosition: row.waitlist_position };
}

/** The row the signup statements answer (row-types.test.ts checks it against them). */
export interface SignupRow {
  /** Who the caller is: null when the session is missing or expired. */
  caller: 'student' | 'teacher' | null;
  caller_student_id: number | null;
  /** The student, when the caller is one that exists. */
  student_id: number | null;
  grade: number | null;
  /** An admin reset the student's password: they sign up for nothing until they choose their own. */
  must_change_password: boolean;
  /** The activity, when it exists (and the caller is a student). */
  name: string | null;
  allowed_grades: number[] | null;
  participant_id: number | null;
  status: ParticipantStatus | null;
  waitlist_position: number | null;
}

/**
 * The signup, for the caller `callerSql` selects (columns student_id, teacher_id; at most one row). The
 * activity is locked only when the caller is a student who exists.
 */
const signupStatement = (callerSql: string) => `with caller as (
       ${callerSql}
     ), who as (
       select student.id, student.grade, student.must_change_password
         from caller join student on student.id = caller.student_id
     ), target as (
       select id, name, max_participants, enrolled_count, waitlist_count, allowed_grades
         from activity where id = ? and exists (select from who where not must_change_password) for update
     ), inserted as (
       insert into activity_participant (activity_id, student_id, status)
       select target.id, who.id,
              ${joinsAsSql('target').text}
         from target, who
        where target.allowed_grades is null or who.grade = any(target.allowed_grades)
       on conflict (activity_id, student_id) do nothing
       returning id, status
     )
     select case when caller.student_id is not null then 'student'
                 when caller.teacher_id is not null then 'teacher' end as caller,
            caller.student_id as caller_student_id, who.id as student_id, who.grade,
            coalesce(who.must_change_password, false) as must_change_password,
            target.name, target.allowed_grades, inserted.id as participant_id, inserted.status,
            case when inserted.status = 'waitlisted' then target.waitlist_count + 1 end as waitlist_position
       from (select) as one left join caller on true left join who on true
            left join target on true left join inserted on true`;

/**
 * The statement of signUpWithSession: parameters the session token's hash, then the activity id. (pnpm
 * bench:api and bench:rush run it in pgbench.) Overlapping activities are looked up after it, so that the
 * activity's lock is not held for them.
 */
export const SIGNUP_STATEMENT = signupStatement(
  `select student_id, teacher_id from session where token_hash = ? and expires_at > now()`,
);

/** The statement of signUp: parameters the student id, then the activity id. */
const SIGNUP_BY_ID_STATEMENT = signupStatement(`select ?::int as student_id, null::int as teacher_id`);

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
    if (!deleted) throw new NotFoundError(`signup of student ${studentId} for activity`, activityId);
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
  return em.execute<{ id: number; name: string; schedule: string }[]>(
    `with mine as materialized (
       select activity_id from activity_participant where student_id = ? and activity_id <> ?
     )
     select other.id, other.name, other.schedule
       from mine
       join activity other on other.id = mine.activity_id
       join activity this on this.id = ?
      where this.schedule_days && other.schedule_days
        and this.start_time < other.end_time and other.start_time < this.end_time
      order by other.name`,
    [studentId, activityId, activityId],
  );
}

/** A student's signups, with their place in line where waitlisted. */
export async function mySignups(em: EntityManager, studentId: number): Promise<MySignupDto[]> {
  const rows = await em.execute<
    {
      id: number;
      name: string;
      schedule: string;
      status: ParticipantStatus;
      position: number | null;
      signup_date: Date;
    }[]
  >(
    `select a.id, a.name, a.schedule, p.status, p.signup_date,
            case when p.status = 'waitlisted' then
              (select count(*)::int from activity_participant q
                where q.activity_id = p.activity_id and q.status = 'waitlisted' and q.id <= p.id)
            end as position
       from activity_participant p join activity a on a.id = p.activity_id
      where p.student_id = ? order by a.name`,
    [studentId],
  );
  return rows.map((row) => ({
    activity: { id: row.id, name: row.name, schedule: row.schedule },
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
 * particular (a plain confirmation or waitlisting).
 */
export async function addParticipantByEmail(
  em: EntityManager,
  activityId: number,
  email: string,
  whenFull: 'waitlist' | 'refuse' = 'waitlist',
  by: 'student' | 'teacher' = 'teacher',
): Promise<SignupResultDto> {
  return em.transactional(async (tx) => {
    await tx.execute(`insert into student (email, name) values (?, ?) on conflict (email) do nothing`, [
      email,
      nameFromEmail(email),
    ]);
    const [student] = await tx.execute<{ id: number }[]>(`select id from student where email = ?`, [email]);
    const result = await signUpStudent(tx, student!.id, activityId, by);
    if (result.status === 'waitlisted' && whenFull === 'refuse') throw new ActivityFullError();
    return result;
  });
}

/**
 * A teacher signs up a student the school knows, picked by id or given by email. An unknown email is refused
 * (a typo once became a student and took a real seat): a new student's account is addNewStudent's explicit step.
 */
export async function addParticipant(
  em: EntityManager,
  input: ParticipantAddInput,
): Promise<SignupResultDto> {
  const student = await em.findOne(
    Student,
    input.studentId !== undefined ? { id: input.studentId } : { email: input.email },
  );
  if (!student) {
    if (input.studentId !== undefined) throw new NotFoundError('student', input.studentId);
    throw new NotFoundError('student with email', input.email!);
  }
  return signUpStudent(em, student.id, input.activityId, 'teacher');
}

/**
 * Creates the account of a student the school does not know yet (no password: they cannot log in until an
 * admin gives them one, as the old participant lists did) and signs them up, in one transaction, so a refused
 * signup leaves no new student behind.
 */
export async function addNewStudent(
  em: EntityManager,
  input: ParticipantNewStudentInput,
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
    return signUpStudent(tx, student.id, input.activityId, 'teacher');
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
