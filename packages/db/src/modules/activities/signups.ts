import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ParticipantStatus,
  nameFromEmail,
  type MySignupDto,
  type Page,
  type ParticipantDto,
  type ParticipantListInput,
  type SignupResultDto,
} from '@mergington/contract';
import { Activity, ActivityParticipant, Student } from '../../entities/index.ts';
import { ActivityFullError, ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
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
  const [row] = await em.execute<SignupRow[]>(SIGNUP_STATEMENT, [activityId, studentId]);
  if (!row) throw new NotFoundError('activity', activityId);
  if (!row.student_exists) throw new NotFoundError('student', studentId);
  if (row.participant_id === null || row.status === null) {
    if (row.allowed_grades && !(row.grade && row.allowed_grades.includes(row.grade))) {
      throw new RuleViolationError(
        `${row.name} is open to grades ${row.allowed_grades.join(', ')} only` +
          (row.grade ? `, not grade ${row.grade}` : ', and this student has no grade on record'),
      );
    }
    throw new ConflictError(`student ${studentId} is already signed up for ${row.name}`, 'activityId');
  }
  return { participantId: row.participant_id, status: row.status, waitlistPosition: row.waitlist_position };
}

/** The row SIGNUP_STATEMENT answers (row-types.test.ts checks it against the statement). */
export interface SignupRow {
  name: string;
  allowed_grades: number[] | null;
  grade: number | null;
  student_exists: boolean;
  participant_id: number | null;
  status: ParticipantStatus | null;
  waitlist_position: number | null;
}

/**
 * The statement of signUp: parameters activity id, then student id. (pnpm bench:api runs it in pgbench.)
 * Overlapping activities are looked up after it, so that the activity's lock is not held for them.
 */
export const SIGNUP_STATEMENT = `with target as (
       select id, name, max_participants, enrolled_count, waitlist_count, allowed_grades
         from activity where id = ? for update
     ), who as (
       select id, grade from student where id = ?
     ), inserted as (
       insert into activity_participant (activity_id, student_id, status)
       select target.id, who.id,
              ${joinsAsSql('target').text}
         from target, who
        where target.allowed_grades is null or who.grade = any(target.allowed_grades)
       on conflict (activity_id, student_id) do nothing
       returning id, status
     )
     select target.name, target.allowed_grades, who.grade, who.id is not null as student_exists,
            inserted.id as participant_id, inserted.status,
            case when inserted.status = 'waitlisted' then target.waitlist_count + 1 end as waitlist_position
       from target left join who on true left join inserted on true`;

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
 * A student's own signup, with the activities of theirs whose schedule overlaps (for a warning). The
 * signup and its notification (confirmed, or waitlisted with the position) commit together.
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
  return {
    activityId,
    status: result.status,
    waitlistPosition: result.waitlistPosition,
    overlaps: await overlaps(em, studentId, activityId),
  };
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

/** The student's other activities that meet on a day this one does, at overlapping times. */
export async function overlaps(em: EntityManager, studentId: number, activityId: number) {
  return em.execute<{ id: number; name: string; schedule: string }[]>(
    `select other.id, other.name, other.schedule
       from activity this
       join activity_participant p on p.student_id = ? and p.activity_id <> this.id
       join activity other on other.id = p.activity_id
      where this.id = ?
        and this.schedule_days && other.schedule_days
        and this.start_time < other.end_time and other.start_time < this.end_time
      order by other.name`,
    [studentId, activityId],
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
 * A teacher signs a student up by email, as the old app's teacher mode did; an email no student has yet
 * becomes a student without a password (as the old participant lists did), in the signup's transaction,
 * so a refused signup leaves no new student behind. Two signups of one new email at once make one student:
 * the second insert waits for the first and then finds it.
 *
 * `whenFull: 'refuse'` (the old app's first API, which had no waitlist) refuses a signup that would be
 * waitlisted with ActivityFullError, and nothing of it stays.
 */
export async function addParticipantByEmail(
  em: EntityManager,
  activityId: number,
  email: string,
  whenFull: 'waitlist' | 'refuse' = 'waitlist',
): Promise<SignupResultDto> {
  return em.transactional(async (tx) => {
    await tx.execute(`insert into student (email, name) values (?, ?) on conflict (email) do nothing`, [
      email,
      nameFromEmail(email),
    ]);
    const [student] = await tx.execute<{ id: number }[]>(`select id from student where email = ?`, [email]);
    const result = await signUpStudent(tx, student!.id, activityId, 'teacher');
    if (result.status === 'waitlisted' && whenFull === 'refuse') throw new ActivityFullError();
    return result;
  });
}

export async function removeParticipantByEmail(
  em: EntityManager,
  activityId: number,
  email: string,
): Promise<WithdrawResult> {
  const student = await em.findOne(Student, { email });
  if (!student) throw new NotFoundError('student with email', email);
  return withdraw(em, student.id, activityId, 'teacher');
}
