// The audit trail's reads: the admins' browser and a teacher's roster history.
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS } from '../constants.ts';
import { idSchema, pageInput, pageOf, textSchema } from './common.ts';

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.date(),
  actorKind: z.enum(AUDIT_ACTOR_KINDS),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  requestId: z.string().nullable(),
  clientAddress: z.string().nullable(),
  tableName: z.string(),
  rowId: z.number().int().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  activityId: z.number().int().nullable(),
  studentId: z.number().int().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Newest first. `person`: a student or teacher, as the actor or (a student) as the one the row is about. */
export const auditListInput = z
  .object({
    ...pageInput,
    person: z
      .object({ kind: z.enum(['student', 'teacher']), id: idSchema })
      .strict()
      .optional(),
    activityId: idSchema.optional(),
    tableName: textSchema.regex(/^[a-z_]{1,63}$/, 'must be a table name').optional(),
    from: z.date().optional(),
    to: z.date().optional(),
  })
  .strict();
export type AuditListInput = z.infer<typeof auditListInput>;
export const auditPageSchema = pageOf(auditEntrySchema);

/** One change to an activity's roster, as a teacher reads it: who, what happened to whom, when. */
export const rosterEventSchema = z.object({
  id: z.number().int(),
  at: z.date(),
  /** Joined (enrolled or waitlisted), moved (waitlist to enrolled or back) or left the roster. */
  change: z.enum(['added', 'status-changed', 'removed']),
  studentId: z.number().int().nullable(),
  studentName: z.string().nullable(),
  status: z.string().nullable(),
  previousStatus: z.string().nullable(),
  actorKind: z.enum(AUDIT_ACTOR_KINDS),
  actorName: z.string().nullable(),
  /** The change was made by the student it is about (signing up, withdrawing). */
  bySelf: z.boolean(),
});
export type RosterEvent = z.infer<typeof rosterEventSchema>;
export const rosterHistoryInput = z.object({ ...pageInput, activityId: idSchema }).strict();
export const rosterHistoryPageSchema = pageOf(rosterEventSchema);
