import { z } from 'zod';
import { PARTICIPANT_STATUSES, TIMES_OF_DAY } from '../constants.ts';
import {
  gradeSchema,
  idSchema,
  pageInput,
  searchSchema,
  timeSchema,
  weekdaySchema,
  emailSchema,
  personNameSchema,
  textSchema,
} from './common.ts';

const scheduleFields = {
  /** As people write it: "Tuesdays and Thursdays, 3:30 PM - 4:30 PM". */
  schedule: textSchema.trim().max(200),
  scheduleDays: z.array(weekdaySchema).min(1).max(7).nullable(),
  startTime: timeSchema.nullable(),
  endTime: timeSchema.nullable(),
  /** The term it meets in, first and last day (inclusive): both or neither. */
  termStartsOn: z.iso.date().nullable(),
  termEndsOn: z.iso.date().nullable(),
};
const activityFields = {
  name: textSchema.trim().min(1).max(120),
  description: textSchema.trim().max(5000),
  ...scheduleFields,
  category: textSchema.trim().min(1).max(60).nullable(),
  allowedGrades: z.array(gradeSchema).min(1).max(4).nullable(),
  maxParticipants: z.number().int().min(1).max(10_000),
  minGroupSize: z.number().int().min(1).max(1000).nullable(),
  maxGroupSize: z.number().int().min(1).max(1000).nullable(),
};

/**
 * The structured schedule is all three fields or none, ends after it starts, and names each day once; a
 * minimum group size is at most the maximum.
 */
export function checkActivity(
  value: {
    scheduleDays?: string[] | null;
    startTime?: string | null;
    endTime?: string | null;
    minGroupSize?: number | null;
    maxGroupSize?: number | null;
    termStartsOn?: string | null;
    termEndsOn?: string | null;
  },
  ctx: z.RefinementCtx,
) {
  const { scheduleDays, startTime, endTime, minGroupSize, maxGroupSize, termStartsOn, termEndsOn } = value;
  if (termStartsOn !== undefined || termEndsOn !== undefined) {
    if (((termStartsOn ?? null) === null) !== ((termEndsOn ?? null) === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['termEndsOn'],
        message: 'give the first and last day together, or none',
      });
    } else if (termStartsOn && termEndsOn && termEndsOn < termStartsOn) {
      ctx.addIssue({ code: 'custom', path: ['termEndsOn'], message: 'must be on or after the first day' });
    }
  }
  if (minGroupSize && maxGroupSize && minGroupSize > maxGroupSize) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxGroupSize'],
      message: 'must be at least the minimum group size',
    });
  }
  if (scheduleDays === undefined && startTime === undefined && endTime === undefined) return;
  const set = [scheduleDays, startTime, endTime].filter(
    (field) => field !== null && field !== undefined,
  ).length;
  if (set !== 0 && set !== 3) {
    ctx.addIssue({
      code: 'custom',
      path: ['scheduleDays'],
      message: 'give days, start and end time together, or none',
    });
  }
  if (startTime && endTime && endTime <= startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'must be after the start time' });
  }
  if (scheduleDays && new Set(scheduleDays).size !== scheduleDays.length) {
    ctx.addIssue({ code: 'custom', path: ['scheduleDays'], message: 'names a day twice' });
  }
}

export const activityCreateInput = z
  .object({
    ...activityFields,
    description: activityFields.description.default(''),
    schedule: scheduleFields.schedule.default(''),
    scheduleDays: scheduleFields.scheduleDays.default(null),
    startTime: scheduleFields.startTime.default(null),
    endTime: scheduleFields.endTime.default(null),
    termStartsOn: scheduleFields.termStartsOn.default(null),
    termEndsOn: scheduleFields.termEndsOn.default(null),
    category: activityFields.category.default(null),
    allowedGrades: activityFields.allowedGrades.default(null),
    minGroupSize: activityFields.minGroupSize.default(null),
    maxGroupSize: activityFields.maxGroupSize.default(null),
  })
  .strict()
  .superRefine(checkActivity);
export type ActivityCreateInput = z.infer<typeof activityCreateInput>;

export const activityUpdateInput = z
  .object(activityFields)
  .partial()
  .extend({
    id: idSchema,
    /** The version read: a change made by someone else since is a conflict, not silently overwritten. */
    version: z.number().int().min(1),
  })
  .strict()
  .superRefine(checkActivity);
export type ActivityUpdateInput = z.infer<typeof activityUpdateInput>;

export const activityListInput = z
  .object({
    ...pageInput,
    // The catalogue shows a school's whole list at once; a few hundred activities is a large school.
    pageSize: z.number().int().min(1).max(500).default(20),
    day: weekdaySchema.optional(),
    timeOfDay: z.enum(TIMES_OF_DAY).optional(),
    /** Activities that start at or after `from` and end by `to`. */
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    category: textSchema.trim().min(1).max(60).optional(),
    search: searchSchema,
    hasSeats: z.boolean().optional(),
  })
  .strict();
export type ActivityListInput = z.infer<typeof activityListInput>;

export const activitySummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  schedule: z.string(),
  scheduleDays: z.array(weekdaySchema).nullable(),
  /** "HH:MM" */
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  termStartsOn: z.string().nullable(),
  termEndsOn: z.string().nullable(),
  category: z.string().nullable(),
  allowedGrades: z.array(z.number().int()).nullable(),
  maxParticipants: z.number().int(),
  enrolledCount: z.number().int(),
  spotsLeft: z.number().int(),
  waitlistCount: z.number().int(),
  minGroupSize: z.number().int().nullable(),
  maxGroupSize: z.number().int().nullable(),
  version: z.number().int(),
});
export type ActivitySummary = z.infer<typeof activitySummarySchema>;

/**
 * Where the signed-in student stands with an activity, worked out by the API (packages/db activities.ts):
 * signed up, waiting (with their place), not open to their grade, or open to them. `label` is what a card shows:
 * "Enrolled", "Waitlist #2", "Not open to grade 12", or null when they may simply sign up.
 */
export const standingSchema = z.object({
  status: z.enum(['enrolled', 'waitlisted', 'not-open', 'open']),
  waitlistPosition: z.number().int().nullable(),
  label: z.string().nullable(),
});
export type Standing = z.infer<typeof standingSchema>;

export const activitySchema = activitySummarySchema.extend({
  averageRating: z.number().nullable(),
  ratingCount: z.number().int(),
  /** How a student who signs up now joins: enrolled, or at the end of the waitlist (packages/db admission.ts). */
  joinsAs: z.enum(PARTICIPANT_STATUSES),
  /** The signed-in student's standing; null for anyone else (visitors, teachers). */
  myStanding: standingSchema.nullable(),
});
export type ActivityDto = z.infer<typeof activitySchema>;

export const activityRefSchema = z.object({ id: z.number().int(), name: z.string(), schedule: z.string() });

export const signupResultSchema = z.object({
  activityId: z.number().int(),
  status: z.enum(PARTICIPANT_STATUSES),
  waitlistPosition: z.number().int().nullable(),
  /** The student's other activities whose schedule overlaps this one's: a warning, not a refusal. */
  overlaps: z.array(activityRefSchema),
});
export type SignupResultDto = z.infer<typeof signupResultSchema>;

export const mySignupSchema = z.object({
  activity: activityRefSchema,
  status: z.enum(PARTICIPANT_STATUSES),
  waitlistPosition: z.number().int().nullable(),
  signupDate: z.date(),
});
export type MySignupDto = z.infer<typeof mySignupSchema>;

export const participantSchema = z.object({
  studentId: z.number().int(),
  email: z.string(),
  name: z.string(),
  grade: z.number().int().nullable(),
  status: z.enum(PARTICIPANT_STATUSES),
  waitlistPosition: z.number().int().nullable(),
  signupDate: z.date(),
});
export type ParticipantDto = z.infer<typeof participantSchema>;

export const participantListInput = z
  .object({ ...pageInput, activityId: idSchema, status: z.enum(PARTICIPANT_STATUSES).optional() })
  .strict();
export type ParticipantListInput = z.infer<typeof participantListInput>;

export const participantByEmailInput = z.object({ activityId: idSchema, email: emailSchema }).strict();
/** A teacher adds a student the school knows: picked (by id) or by email. An unknown email is refused. */
export const participantAddInput = z
  .object({ activityId: idSchema, studentId: idSchema.optional(), email: emailSchema.optional() })
  .strict()
  .refine((input) => (input.studentId === undefined) !== (input.email === undefined), {
    path: ['studentId'],
    message: 'choose a student',
  });
export type ParticipantAddInput = z.infer<typeof participantAddInput>;
/** A teacher creates the account of a student the school does not know yet, and adds them: one explicit step. */
export const participantNewStudentInput = z
  .object({ activityId: idSchema, email: emailSchema, name: personNameSchema, grade: gradeSchema.nullable() })
  .strict();
export type ParticipantNewStudentInput = z.infer<typeof participantNewStudentInput>;
export const activityIdInput = z.object({ activityId: idSchema }).strict();
export const idInput = z.object({ id: idSchema }).strict();
