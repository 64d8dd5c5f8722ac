// The shapes that cross the API: inputs (strict, bounded) and outputs. The server validates with them, and
// the web app's forms and the importer use the same ones. No ORM import here: the web app bundles this file.
import { z } from 'zod';
import { GRADES, PARTICIPANT_STATUSES, TEACHER_ROLES, WEEKDAYS } from './constants.ts';

// ---- building blocks

export const idSchema = z.number().int().positive().max(2_147_483_647);
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(200);
export const personNameSchema = z.string().trim().min(1).max(200);
export const gradeSchema = z
  .number()
  .int()
  .refine((grade) => (GRADES as readonly number[]).includes(grade), 'must be 9, 10, 11 or 12');
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}$/, 'must be 2-64 letters, digits, dots, dashes or underscores');
/** "HH:MM", 24-hour. */
export const timeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 15:30');
export const weekdaySchema = z.enum(WEEKDAYS);

export const pageInput = {
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Free text to search for: trimmed, bounded; empty means no filter. */
const searchSchema = z.string().trim().max(100).optional();

// ---- accounts

export const registerInput = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    grade: gradeSchema.nullable(),
    password: passwordSchema,
  })
  .strict();
export type RegisterInput = z.infer<typeof registerInput>;

export const logInInput = z
  .object({
    /** Students log in by email; teachers and admins by email or username. */
    as: z.enum(['student', 'teacher']),
    login: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(200),
    /** 'cookie' (the web app): the token is set as an HttpOnly cookie and not returned. */
    transport: z.enum(['token', 'cookie']).default('token'),
  })
  .strict();
export type LogInInput = z.infer<typeof logInInput>;

export const changePasswordInput = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema })
  .strict();

export const principalSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('student'),
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    grade: z.number().int().nullable(),
  }),
  z.object({
    kind: z.literal('teacher'),
    id: z.number().int(),
    email: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.enum(TEACHER_ROLES),
  }),
]);
export type Principal = z.infer<typeof principalSchema>;

export const sessionSchema = z.object({
  /** Null when the token went into a cookie. */
  token: z.string().nullable(),
  expiresAt: z.date(),
  user: principalSchema,
});

// ---- students

export const studentSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  grade: z.number().int().nullable(),
  hasPassword: z.boolean(),
  createdAt: z.date(),
});
export type StudentDto = z.infer<typeof studentSchema>;

export const studentListInput = z
  .object({ ...pageInput, grade: gradeSchema.nullable().optional(), search: searchSchema })
  .strict();
export type StudentListInput = z.infer<typeof studentListInput>;

export const studentCreateInput = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    grade: gradeSchema.nullable(),
    password: passwordSchema.optional(),
  })
  .strict();
export const studentUpdateInput = z
  .object({
    id: idSchema,
    email: emailSchema.optional(),
    name: personNameSchema.optional(),
    grade: gradeSchema.nullable().optional(),
    password: passwordSchema.optional(),
  })
  .strict();

// ---- teachers

export const teacherSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(TEACHER_ROLES),
  createdAt: z.date(),
});
export type TeacherDto = z.infer<typeof teacherSchema>;

export const teacherListInput = z
  .object({ ...pageInput, role: z.enum(TEACHER_ROLES).optional(), search: searchSchema })
  .strict();
export const teacherCreateInput = z
  .object({
    email: emailSchema,
    username: usernameSchema,
    name: personNameSchema,
    role: z.enum(TEACHER_ROLES),
    password: passwordSchema,
  })
  .strict();
export const teacherUpdateInput = z
  .object({
    id: idSchema,
    email: emailSchema.optional(),
    username: usernameSchema.optional(),
    name: personNameSchema.optional(),
    role: z.enum(TEACHER_ROLES).optional(),
    password: passwordSchema.optional(),
  })
  .strict();

// ---- activities

const scheduleFields = {
  /** As people write it: "Tuesdays and Thursdays, 3:30 PM - 4:30 PM". */
  schedule: z.string().trim().max(200),
  scheduleDays: z.array(weekdaySchema).min(1).max(7).nullable(),
  startTime: timeSchema.nullable(),
  endTime: timeSchema.nullable(),
};
const activityFields = {
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(5000),
  ...scheduleFields,
  category: z.string().trim().min(1).max(60).nullable(),
  allowedGrades: z.array(gradeSchema).min(1).max(4).nullable(),
  maxParticipants: z.number().int().min(1).max(10_000),
};

/** The structured schedule is all three fields or none, ends after it starts, and names each day once. */
function checkSchedule(
  value: { scheduleDays?: string[] | null; startTime?: string | null; endTime?: string | null },
  ctx: z.RefinementCtx,
) {
  const { scheduleDays, startTime, endTime } = value;
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
    category: activityFields.category.default(null),
    allowedGrades: activityFields.allowedGrades.default(null),
  })
  .strict()
  .superRefine(checkSchedule);
export type ActivityCreateInput = z.infer<typeof activityCreateInput>;

export const activityUpdateInput = z
  .object({
    id: idSchema,
    /** The version read: a change made by someone else since is a conflict, not silently overwritten. */
    version: z.number().int().min(1),
    name: activityFields.name.optional(),
    description: activityFields.description.optional(),
    schedule: scheduleFields.schedule.optional(),
    scheduleDays: scheduleFields.scheduleDays.optional(),
    startTime: scheduleFields.startTime.optional(),
    endTime: scheduleFields.endTime.optional(),
    category: activityFields.category.optional(),
    allowedGrades: activityFields.allowedGrades.optional(),
    maxParticipants: activityFields.maxParticipants.optional(),
  })
  .strict()
  .superRefine(checkSchedule);
export type ActivityUpdateInput = z.infer<typeof activityUpdateInput>;

export const activityListInput = z
  .object({
    ...pageInput,
    day: weekdaySchema.optional(),
    /** Activities that start at or after `from` and end by `to`. */
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    category: z.string().trim().min(1).max(60).optional(),
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
  category: z.string().nullable(),
  allowedGrades: z.array(z.number().int()).nullable(),
  maxParticipants: z.number().int(),
  enrolledCount: z.number().int(),
  spotsLeft: z.number().int(),
  waitlistCount: z.number().int(),
  version: z.number().int(),
});
export type ActivitySummary = z.infer<typeof activitySummarySchema>;

export const activitySchema = activitySummarySchema.extend({
  averageRating: z.number().nullable(),
  ratingCount: z.number().int(),
});
export type ActivityDto = z.infer<typeof activitySchema>;

// ---- signups and participants

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
export const activityIdInput = z.object({ activityId: idSchema }).strict();
export const idInput = z.object({ id: idSchema }).strict();
