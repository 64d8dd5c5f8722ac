// Bulk roster changes (README "Bulk operations"): add many students by email, move or copy a set to another
// activity, withdraw a set. A preview says what would happen to whom; an apply does it in one transaction.
import { z } from 'zod';
import { idSchema, normalizeEmail, textSchema } from './common.ts';

/** The most emails or students one bulk call takes. */
export const BULK_LIMIT = 500;

/** What an apply does when some of the list is refused: nothing at all, or the rest. */
export const BULK_MODES = ['all-or-nothing', 'skip-refused'] as const;
export type BulkMode = (typeof BULK_MODES)[number];

export const BULK_KINDS = ['add', 'move', 'copy', 'withdraw'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

/** What happens to one student of the list. */
export const BULK_OUTCOMES = ['enrolled', 'waitlisted', 'withdrawn', 'refused'] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

/** Why a student of the list is refused. */
export const BULK_REFUSALS = [
  'invalid-email',
  'unknown-email',
  'unknown-student',
  'already-signed-up',
  'grade-not-allowed',
  'not-in-source',
  'not-signed-up',
] as const;
export type BulkRefusal = (typeof BULK_REFUSALS)[number];

const studentIds = z
  .array(idSchema)
  .min(1, 'choose at least one student')
  .max(BULK_LIMIT, `at most ${BULK_LIMIT} students at once`);

/**
 * The emails of a pasted list or an uploaded file, as found in it (parseEmailList). Each is checked and
 * normalised by the operation, so a malformed one is a refused row of the preview, not a refused request.
 */
const emails = z
  .array(textSchema.trim().min(1).max(320))
  .min(1, 'give at least one email')
  .max(BULK_LIMIT, `at most ${BULK_LIMIT} emails at once`);

const transfer = { fromActivityId: idSchema, toActivityId: idSchema, studentIds };

export const bulkOperationSchema = z
  .discriminatedUnion('kind', [
    /** Sign up the students these emails name (never creating one) for an activity. */
    z.object({ kind: z.literal('add'), activityId: idSchema, emails }).strict(),
    /** Withdraw them from one activity and sign them up for another, in their order of the first. */
    z.object({ kind: z.literal('move'), ...transfer }).strict(),
    /** Sign them up for another activity too, in their order of the first. */
    z.object({ kind: z.literal('copy'), ...transfer }).strict(),
    /** Withdraw them; freed seats go to the waitlist, first in line first. */
    z.object({ kind: z.literal('withdraw'), activityId: idSchema, studentIds }).strict(),
  ])
  .superRefine((operation, ctx) => {
    if (
      (operation.kind === 'move' || operation.kind === 'copy') &&
      operation.fromActivityId === operation.toActivityId
    ) {
      ctx.addIssue({ code: 'custom', path: ['toActivityId'], message: 'choose another activity' });
    }
  });
export type BulkOperation = z.infer<typeof bulkOperationSchema>;

export const bulkPreviewInput = z.object({ operation: bulkOperationSchema }).strict();
export type BulkPreviewInput = z.infer<typeof bulkPreviewInput>;

const outcomeFields = {
  outcome: z.enum(BULK_OUTCOMES),
  /** 1 for the first in line; null unless waitlisted. */
  waitlistPosition: z.number().int().nullable(),
};

export const bulkApplyInput = z
  .object({
    operation: bulkOperationSchema,
    mode: z.enum(BULK_MODES),
    /** The outcomes the preview showed (by row key): the answer says where the apply's plan differs. */
    previewed: z
      .array(z.object({ key: textSchema.max(320), ...outcomeFields }).strict())
      .max(BULK_LIMIT)
      .optional(),
  })
  .strict();
export type BulkApplyInput = z.infer<typeof bulkApplyInput>;

export const bulkRowSchema = z.object({
  /** The list item this row answers: the email (normalised) of an add, else the student id. */
  key: z.string(),
  studentId: z.number().int().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  ...outcomeFields,
  refusal: z.enum(BULK_REFUSALS).nullable(),
  /** Why it is refused, in words ("Chess Club is open to grades 11, 12 only, not grade 10"). */
  reason: z.string().nullable(),
});
export type BulkRow = z.infer<typeof bulkRowSchema>;

const studentRefSchema = z.object({ studentId: z.number().int(), name: z.string() });

export const bulkPlanSchema = z.object({
  kind: z.enum(BULK_KINDS),
  /** The activity students join (add, move, copy) or leave (withdraw). */
  activity: z.object({ id: z.number().int(), name: z.string() }),
  /** The activity a move or copy takes them from. */
  from: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  rows: z.array(bulkRowSchema),
  counts: z.object({
    enrolled: z.number().int(),
    waitlisted: z.number().int(),
    withdrawn: z.number().int(),
    refused: z.number().int(),
  }),
  /** Students of the waitlist (of the activity left) who take the seats a move or withdrawal frees. */
  promoted: z.array(studentRefSchema),
});
export type BulkPlan = z.infer<typeof bulkPlanSchema>;

export const bulkResultSchema = bulkPlanSchema.extend({
  mode: z.enum(BULK_MODES),
  /** Rows whose outcome differs from the one previewed (the roster changed in between). */
  changedSincePreview: z.array(
    z.object({
      key: z.string(),
      name: z.string().nullable(),
      previewed: z.object(outcomeFields).nullable(),
      applied: z.object(outcomeFields),
    }),
  ),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

/**
 * The emails in a pasted list or a text or CSV file, in order, each once: every run of characters between
 * separators (spaces, commas, semicolons, quotes, brackets) with an `@` between other characters. Headers,
 * names and other columns have none and are left out; "Ana Ruiz <ana@school.edu>" gives the address.
 */
export function parseEmailList(text: string): string[] {
  const seen = new Set<string>();
  for (const token of text.split(/[\s,;"'<>()[\]]+/)) {
    if (/.@./.test(token)) seen.add(normalizeEmail(token));
  }
  return [...seen];
}
