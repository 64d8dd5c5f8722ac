import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ParticipantStatus } from './constants.ts';
import { Activity, ActivityParticipant, Student } from './entities/index.ts';
import { ConflictError, NotFoundError, RuleViolationError } from './errors.ts';

export interface SignupResult {
  participantId: number;
  status: ParticipantStatus;
  /** 1 for the first in line; null when enrolled. */
  waitlistPosition: number | null;
}

/**
 * Signs a student up for an activity in one transaction: enrolled while seats remain, else waitlisted at
 * the end of the line. The activity's row lock serialises the signups and withdrawals of one activity, so
 * the seat check cannot race; the database's seat trigger and unique index back it up.
 */
export async function signUp(
  em: EntityManager,
  studentId: number,
  activityId: number,
): Promise<SignupResult> {
  return em.transactional(async (tx) => {
    const student = await tx.findOne(Student, studentId, { fields: ['grade'] });
    if (!student) throw new NotFoundError('student', studentId);
    const activity = await tx.findOne(Activity, activityId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!activity) throw new NotFoundError('activity', activityId);
    if (activity.allowedGrades && !(student.grade && activity.allowedGrades.includes(student.grade))) {
      throw new RuleViolationError(
        `${activity.name} is open to grades ${activity.allowedGrades.join(', ')} only` +
          (student.grade ? `, not grade ${student.grade}` : ', and this student has no grade on record'),
      );
    }

    // Seats go to the waitlist first: a free seat with people in line means they are about to be promoted.
    const hasSeat = activity.enrolledCount < activity.maxParticipants && activity.waitlistCount === 0;
    const participant = tx.create(ActivityParticipant, {
      activity,
      student: studentId,
      status: hasSeat ? 'enrolled' : 'waitlisted',
    });
    try {
      await tx.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(
          `student ${studentId} is already signed up for ${activity.name}`,
          'activityId',
        );
      }
      throw error;
    }
    return {
      participantId: participant.id,
      status: participant.status,
      // The lock is held: everyone ahead in line is counted, and no one can join between us.
      waitlistPosition: hasSeat ? null : activity.waitlistCount + 1,
    };
  });
}

export interface WithdrawResult {
  /** The student who took the freed seat, if someone was waiting. */
  promotedStudentId: number | null;
}

/** Withdraws a signup; when it held a seat, the first student in line takes it in the same transaction. */
export async function withdraw(
  em: EntityManager,
  studentId: number,
  activityId: number,
): Promise<WithdrawResult> {
  return em.transactional(async (tx) => {
    const activity = await tx.findOne(Activity, activityId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!activity) throw new NotFoundError('activity', activityId);
    const deleted = await tx.nativeDelete(ActivityParticipant, { activity: activityId, student: studentId });
    if (!deleted) throw new NotFoundError(`signup of student ${studentId} for activity`, activityId);
    const promoted = await fillFreeSeats(tx, activityId);
    return { promotedStudentId: promoted[0] ?? null };
  });
}

/**
 * Moves students from the front of the waitlist into free seats, oldest signup first; returns their ids.
 * The caller holds the activity's row lock (withdrawals, a raised capacity).
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
