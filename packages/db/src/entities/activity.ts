import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Student } from './student.ts';
import { timestamps } from './common.ts';
import { GRADES, PARTICIPANT_STATUSES, WEEKDAYS, type Weekday } from '@mergington/contract';

const weekdayList = WEEKDAYS.map((day) => `'${day}'`).join(', ');

export const Activity = defineEntity({
  name: 'Activity',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(120).unique(),
    description: p.text().default(''),
    /** The schedule as people wrote it ("Tuesdays and Thursdays, 3:30 PM - 4:30 PM"). */
    schedule: p.string().length(200).default(''),
    /** The structured schedule, when known: all three set, or none. */
    scheduleDays: p.array<Weekday>().nullable(),
    startTime: p.time().nullable(),
    endTime: p.time().nullable(),
    /** The term the activity meets in (first and last day, inclusive): both set, or none. */
    termStartsOn: p.date().nullable(),
    termEndsOn: p.date().nullable(),
    category: p.string().length(60).nullable().index(),
    /** Grades allowed to sign up; null means every grade. */
    allowedGrades: p.array(Number).columnType('smallint[]').nullable(),
    maxParticipants: p.integer(),
    /** Optional bounds on the size of the activity's student groups. */
    minGroupSize: p.integer().nullable(),
    maxGroupSize: p.integer().nullable(),
    /**
     * Seat counters, kept by triggers on activity_participant so that they can never drift from the rows.
     * They make "spots left" and "waitlist length" O(1) reads; the trigger refuses a new enrolment
     * past max_participants.
     */
    enrolledCount: p.integer().default(0),
    waitlistCount: p.integer().default(0),
    version: p.integer().version(),
    ...timestamps,
  },
  checks: [
    { name: 'activity_max_participants_positive', expression: 'max_participants > 0' },
    { name: 'activity_counts_non_negative', expression: 'enrolled_count >= 0 and waitlist_count >= 0' },
    {
      name: 'activity_group_sizes_valid',
      expression: 'min_group_size >= 1 and max_group_size >= 1 and min_group_size <= max_group_size',
    },
    {
      name: 'activity_schedule_complete',
      expression:
        '(schedule_days is null) = (start_time is null) and (start_time is null) = (end_time is null)',
    },
    { name: 'activity_schedule_ends_after_start', expression: 'end_time > start_time' },
    {
      name: 'activity_term_valid',
      expression: '(term_starts_on is null) = (term_ends_on is null) and term_ends_on >= term_starts_on',
    },
    {
      name: 'activity_schedule_days_valid',
      expression: `cardinality(schedule_days) > 0 and schedule_days <@ array[${weekdayList}]::text[]`,
    },
    {
      name: 'activity_allowed_grades_valid',
      expression: `cardinality(allowed_grades) > 0 and allowed_grades <@ array[${GRADES.join(', ')}]::smallint[]`,
    },
  ],
});

export type Activity = InferEntity<typeof Activity>;

export const ActivityParticipant = defineEntity({
  name: 'ActivityParticipant',
  properties: {
    /** Also the FIFO order of the waitlist: signups of one activity are serialised by its row lock. */
    id: p.integer().primary(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    status: p.enum([...PARTICIPANT_STATUSES]),
    signupDate: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  uniques: [{ name: 'activity_participant_once', properties: ['activity', 'student'] }],
  indexes: [{ name: 'activity_participant_queue', properties: ['activity', 'status', 'id'] }],
});

export type ActivityParticipant = InferEntity<typeof ActivityParticipant>;
