// The canonical import format: every table of the school, keyed by natural identifiers (emails, usernames,
// activity and committee names) rather than database ids. The CLI turns old files into it; the API
// validates it with these same schemas and writes it in one transaction. No ORM import here.
import { z } from 'zod';
import { NEWS_CATEGORIES, PAYMENT_STATUSES, TEACHER_ROLES } from '../constants.ts';
import {
  emailSchema,
  gradeSchema,
  personNameSchema,
  timeSchema,
  usernameSchema,
  weekdaySchema,
  textSchema,
} from '../schemas/common.ts';
import { passwordHashSchema } from '../password-hashes.ts';
import { checkActivity } from '../schemas/activities.ts';
import { dayStringSchema, prizeSchema } from '../schemas/school.ts';

/** The marker of the canonical format's files: `{"format": "mergington/v1", "students": [...], ...}`. */
export const CANONICAL_FORMAT = 'mergington/v1';

const activityName = textSchema.trim().min(1).max(120);
/**
 * A moment as an ISO 8601 date or date and time (a Date when the CLI sends what it read): never a number,
 * boolean or null, which z.coerce.date() alone turns into 1970.
 */
const timestampSchema = z
  .union([z.date(), z.iso.datetime({ offset: true, local: true }), z.iso.date()], {
    error: 'must be a date and time like 2024-09-01T10:00:00Z',
  })
  .pipe(z.coerce.date());
const text = (max: number) => textSchema.trim().max(max);

export const importTeacherSchema = z
  .object({
    username: usernameSchema,
    email: emailSchema,
    name: personNameSchema,
    role: z.enum(TEACHER_ROLES),
    /** A plaintext password from old data: hashed on the server, never stored or printed. */
    password: textSchema.min(1).max(200).optional(),
    /** A hash in a format verifyPassword knows (argon2, pbkdf2-sha256$..., sha256$...). */
    passwordHash: passwordHashSchema.optional(),
  })
  .strict()
  .refine((teacher) => (teacher.password === undefined) !== (teacher.passwordHash === undefined), {
    message: 'give either password or passwordHash',
    path: ['password'],
  });

export const importStudentSchema = z
  .object({ email: emailSchema, name: personNameSchema, grade: gradeSchema.nullable().default(null) })
  .strict();

export const importParticipantSchema = z
  .object({ email: emailSchema, status: z.enum(['enrolled', 'waitlisted']).optional() })
  .strict();

export const importActivitySchema = z
  .object({
    name: activityName,
    description: text(5000).default(''),
    schedule: text(200).default(''),
    scheduleDays: z.array(weekdaySchema).min(1).max(7).nullable().default(null),
    startTime: timeSchema.nullable().default(null),
    endTime: timeSchema.nullable().default(null),
    category: textSchema.trim().min(1).max(60).nullable().default(null),
    allowedGrades: z.array(gradeSchema).min(1).max(4).nullable().default(null),
    maxParticipants: z.number().int().min(1).max(10_000),
    createdAt: timestampSchema.optional(),
    /** In signup order: the order of the waitlist. */
    participants: z.array(importParticipantSchema).max(10_000).default([]),
  })
  .strict()
  .superRefine(checkActivity);

export const importCommitteeSchema = z
  .object({ name: textSchema.trim().min(1).max(120), description: text(5000).default('') })
  .strict();

export const importPositionSchema = z
  .object({
    committee: textSchema.trim().min(1).max(120),
    studentEmail: emailSchema,
    positionName: textSchema.trim().min(1).max(120),
    termStart: dayStringSchema,
    termEnd: dayStringSchema.nullable().default(null),
  })
  .strict();

export const importEventSchema = z
  .object({
    activity: activityName,
    name: textSchema.trim().min(1).max(200),
    date: timestampSchema,
    venue: text(200).default(''),
    description: text(5000).default(''),
    prizes: z.array(prizeSchema).max(20).default([]),
    judges: z
      .array(
        z.union([
          z.object({ teacherUsername: usernameSchema }).strict(),
          z.object({ name: personNameSchema }).strict(),
        ]),
      )
      .max(20)
      .default([]),
  })
  .strict();

export const importGroupSchema = z
  .object({
    activity: activityName,
    name: textSchema.trim().min(1).max(120),
    leaderEmail: emailSchema.nullable().default(null),
    members: z.array(emailSchema).max(1000).default([]),
  })
  .strict();

export const importNewsSchema = z
  .object({
    title: textSchema.trim().min(1).max(200),
    content: textSchema.trim().min(1).max(20_000),
    category: z.enum(NEWS_CATEGORIES).default('general'),
    activity: activityName.nullable().default(null),
    authorUsername: usernameSchema.nullable().default(null),
    pinned: z.boolean().default(false),
    createdAt: timestampSchema.optional(),
  })
  .strict();

export const importFeedbackSchema = z
  .object({
    activity: activityName,
    studentEmail: emailSchema,
    rating: z.number().int().min(1).max(5),
    review: text(2000).default(''),
  })
  .strict();

export const importPaymentSchema = z
  .object({
    studentEmail: emailSchema,
    activity: activityName,
    amountCents: z.number().int().min(0).max(100_000_000),
    /** Old data may say overdue: derived from the due date, it is stored as pending. */
    status: z.enum(PAYMENT_STATUSES).default('pending'),
    description: text(200).default(''),
    dueDate: dayStringSchema.nullable().default(null),
    paymentDate: timestampSchema.nullable().default(null),
    method: textSchema.trim().min(1).max(40).nullable().default(null),
  })
  .strict();

export const importDatasetSchema = z
  .object({
    teachers: z.array(importTeacherSchema).max(10_000).default([]),
    students: z.array(importStudentSchema).max(200_000).default([]),
    activities: z.array(importActivitySchema).max(10_000).default([]),
    committees: z.array(importCommitteeSchema).max(1_000).default([]),
    positions: z.array(importPositionSchema).max(10_000).default([]),
    events: z.array(importEventSchema).max(10_000).default([]),
    groups: z.array(importGroupSchema).max(10_000).default([]),
    news: z.array(importNewsSchema).max(10_000).default([]),
    feedback: z.array(importFeedbackSchema).max(200_000).default([]),
    payments: z.array(importPaymentSchema).max(200_000).default([]),
  })
  .strict();

export type ImportDataset = z.infer<typeof importDatasetSchema>;
export type ImportDatasetInput = z.input<typeof importDatasetSchema>;
export const IMPORT_TABLES = [
  'teachers',
  'students',
  'activities',
  'participants',
  'committees',
  'positions',
  'events',
  'groups',
  'news',
  'feedback',
  'payments',
] as const;
export type ImportTable = (typeof IMPORT_TABLES)[number];

export const importOptionsSchema = z
  .object({
    /** When old data lists more participants than seats: enrol them all (a warning says so), or waitlist the rest. */
    overflow: z.enum(['enroll', 'waitlist']).default('enroll'),
    dryRun: z.boolean().default(false),
  })
  .strict();

const tableCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export const importReportSchema = z.object({
  dryRun: z.boolean(),
  tables: z.record(z.enum(IMPORT_TABLES), tableCounts),
  warnings: z.array(z.string()),
});
export type ImportReport = z.infer<typeof importReportSchema>;
