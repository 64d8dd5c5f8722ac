import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS } from '@mergington/contract';

/**
 * One write to a school table, recorded by the table's `audit` trigger in the same transaction as the
 * write (migration AuditTrail). Who comes from the transaction's `mergington.*` settings (audit.ts), so
 * the rows are written by the database whatever code path made the change. No foreign keys: the history
 * of a deleted activity or student stays. Append-only: a trigger refuses every update, and every delete
 * but the retention's pruning of old rows.
 */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  properties: {
    id: p.integer().primary(),
    at: p.datetime().defaultRaw('now()').index(),
    actorKind: p.enum([...AUDIT_ACTOR_KINDS]),
    actorId: p.integer().nullable(),
    /** The actor's name when the change was made, so the history reads the same after a rename. */
    actorName: p.string().length(200).nullable(),
    requestId: p.string().length(64).nullable(),
    clientAddress: p.string().length(64).nullable(),
    tableName: p.string().length(63),
    rowId: p.integer().nullable(),
    action: p.enum([...AUDIT_ACTIONS]),
    /** The changed fields' old values (an update), or the whole row (a delete); never a secret column. */
    before: p.json<Record<string, unknown>>().nullable(),
    /** The changed fields' new values (an update), or the whole row (an insert). */
    after: p.json<Record<string, unknown>>().nullable(),
    /** The activity the row belongs to (its `activity_id`, or its own id in `activity`), for the history views. */
    activityId: p.integer().nullable(),
    /** The student the row is about (its `student_id`, or its own id in `student`). */
    studentId: p.integer().nullable(),
  },
  indexes: [
    { name: 'audit_log_activity', properties: ['activityId', 'id'] },
    { name: 'audit_log_student', properties: ['studentId', 'id'] },
    { name: 'audit_log_actor', properties: ['actorKind', 'actorId', 'id'] },
    { name: 'audit_log_table_row', properties: ['tableName', 'rowId', 'id'] },
  ],
});

export type AuditLog = InferEntity<typeof AuditLog>;
