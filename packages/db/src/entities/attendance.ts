import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ATTENDANCE_SOURCES, ATTENDANCE_STATUSES } from '@mergington/contract';
import { Activity } from './activity.ts';
import { Student } from './student.ts';
import { Teacher } from './teacher.ts';

/** A day or range of days without school: no meeting is generated on it. */
export const SchoolClosure = defineEntity({
  name: 'SchoolClosure',
  properties: {
    id: p.integer().primary(),
    startsOn: p.date().index(),
    /** The last day closed (inclusive); equal to startsOn for one day. */
    endsOn: p.date(),
    reason: p.string().length(200).default(''),
  },
  checks: [{ name: 'school_closure_ends_after_start', expression: 'ends_on >= starts_on' }],
});

export type SchoolClosure = InferEntity<typeof SchoolClosure>;

/**
 * A meeting that something happened to: attendance recorded, check-in opened, cancelled or moved (a
 * scheduled one, `scheduledOn` set), or added by a teacher (`scheduledOn` null). Meetings nothing happened to
 * are not stored: they are generated from the activity's schedule when listed (modules/attendance/meetings.ts).
 */
export const Meeting = defineEntity({
  name: 'Meeting',
  properties: {
    id: p.integer().primary(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    /** The date of the schedule this meeting stands for; null for a one-off meeting a teacher added. */
    scheduledOn: p.date().nullable(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    cancelled: p.boolean().default(false),
    /** Base32 TOTP secret of the self check-in; null until a teacher opens check-in. */
    checkinSecret: p.string().length(64).nullable(),
    /** Minutes after the start during which a check-in counts as present rather than late. */
    checkinGraceMinutes: p.smallint().default(10),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  uniques: [{ name: 'meeting_scheduled_once', properties: ['activity', 'scheduledOn'] }],
  indexes: [{ name: 'meeting_activity_starts', properties: ['activity', 'startsAt'] }],
  checks: [
    { name: 'meeting_ends_after_start', expression: 'ends_at > starts_at' },
    {
      name: 'meeting_grace_valid',
      expression: 'checkin_grace_minutes >= 0 and checkin_grace_minutes <= 240',
    },
  ],
});

export type Meeting = InferEntity<typeof Meeting>;

/** A student's status at a meeting: one per student and meeting (a unique index). */
export const Attendance = defineEntity({
  name: 'Attendance',
  properties: {
    id: p.integer().primary(),
    meeting: () => p.manyToOne(Meeting).deleteRule('cascade'),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    status: p.enum([...ATTENDANCE_STATUSES]),
    note: p.string().length(500).default(''),
    source: p.enum([...ATTENDANCE_SOURCES]),
    /** The teacher who set it; null when the student checked in. */
    recordedBy: () => p.manyToOne(Teacher).nullable().deleteRule('set null').index(),
    recordedAt: p.datetime().defaultRaw('now()'),
  },
  uniques: [{ name: 'attendance_once', properties: ['meeting', 'student'] }],
});

export type Attendance = InferEntity<typeof Attendance>;

/** Every value an attendance record has had, written by a trigger on attendance: who changed it and when. */
export const AttendanceChange = defineEntity({
  name: 'AttendanceChange',
  properties: {
    id: p.integer().primary(),
    attendance: () => p.manyToOne(Attendance).deleteRule('cascade').index(),
    status: p.enum([...ATTENDANCE_STATUSES]),
    note: p.string().length(500),
    source: p.enum([...ATTENDANCE_SOURCES]),
    changedBy: () => p.manyToOne(Teacher).nullable().deleteRule('set null').index(),
    changedAt: p.datetime(),
  },
});

export type AttendanceChange = InferEntity<typeof AttendanceChange>;

/**
 * Wrong check-in codes per student, in the database so that every API replica sees the same count. Like
 * login_throttle it is bookkeeping (no foreign key, not backed up): a row only matters for minutes.
 */
export const CheckinThrottle = defineEntity({
  name: 'CheckinThrottle',
  properties: {
    studentId: p.integer().primary().autoincrement(false),
    failures: p.integer().default(0),
    windowStartedAt: p.datetime().defaultRaw('now()'),
    lockedUntil: p.datetime().nullable(),
  },
});

export type CheckinThrottle = InferEntity<typeof CheckinThrottle>;
