import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { EMAIL_STATUSES, NOTIFICATION_KIND_NAMES } from '@mergington/contract';
import { Student } from './student.ts';

/**
 * Something a student is told, written in the transaction of what caused it (modules/notifications). In
 * the app always; by email when `emailStatus` starts as pending, delivered by the job queue (pg-boss).
 */
export const Notification = defineEntity({
  name: 'Notification',
  properties: {
    id: p.integer().primary(),
    student: () => p.manyToOne(Student).deleteRule('cascade'),
    kind: p.enum([...NOTIFICATION_KIND_NAMES]),
    /** What it is about (names as they were, ids to link to): the contract's notificationPayloadSchema. */
    payload: p.json<Record<string, unknown>>().default('{}'),
    /** Set on the reminders, so that a reminder is written once however often the schedule runs. */
    dedupeKey: p.string().length(100).nullable(),
    readAt: p.datetime().nullable(),
    emailStatus: p.enum([...EMAIL_STATUSES]),
    /** Sends tried (a retry after a crash counts again); the error of the last one that failed. */
    emailAttempts: p.integer().default(0),
    emailError: p.text().nullable(),
    emailSentAt: p.datetime().nullable(),
    /**
     * False while a pending email's job is still to be queued: the signup statement writes its notice
     * without the queue, and the queue runners queue it within a second (queueWaitingEmails).
     */
    emailQueued: p.boolean().default(true),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  indexes: [
    { name: 'notification_student_id_id_index', properties: ['student', 'id'] },
    // queueWaitingEmails: the few not queued, oldest first.
    { name: 'notification_email_waiting_index', properties: ['emailQueued', 'id'] },
  ],
  uniques: [{ name: 'notification_student_id_dedupe_key_unique', properties: ['student', 'dedupeKey'] }],
});

export type Notification = InferEntity<typeof Notification>;

/** A student's choice of email for one kind; no row means the kind's default (NOTIFICATION_KINDS). */
export const NotificationPreference = defineEntity({
  name: 'NotificationPreference',
  properties: {
    student: () => p.manyToOne(Student).primary().deleteRule('cascade'),
    kind: p.enum([...NOTIFICATION_KIND_NAMES]).primary(),
    email: p.boolean(),
  },
});

export type NotificationPreference = InferEntity<typeof NotificationPreference>;
