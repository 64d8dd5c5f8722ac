// The email side of notifications, for the queue's worker and the admins.
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  EmailStatus,
  FailedEmailDto,
  NotificationKind,
  NotificationPayload,
  Page,
} from '@mergington/contract';
import { NOTIFICATION_KINDS } from '@mergington/contract';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { pageClause, TOTAL_COLUMN, toPage, type PageRequest } from '../../paging.ts';
import { enqueueEmails } from '../../queue.ts';
import { query, sql } from '../../sql.ts';

/** What the worker needs to write a notification's email. */
export interface EmailToSend {
  id: number;
  kind: NotificationKind;
  payload: NotificationPayload;
  createdAt: Date;
  status: EmailStatus;
  to: { name: string; email: string };
  /** Whether the student may turn this kind's email off (List-Unsubscribe). */
  optional: boolean;
}

/**
 * Takes a notification's email for sending: counts the attempt (committed before the send, so a crash
 * mid-send still shows it) and answers what to send; null when there is nothing to send (sent already, the
 * student turned the kind's email off since, or the notification is gone).
 */
export async function beginEmail(em: EntityManager, id: number): Promise<EmailToSend | null> {
  const [row] = await query<{
    id: number;
    kind: NotificationKind;
    payload: NotificationPayload;
    created_at: Date;
    email_status: EmailStatus;
    name: string;
    email: string;
    wanted: boolean;
  }>(
    em,
    sql`update notification n set email_attempts = email_attempts + 1
          from student s
         where n.id = ${id} and s.id = n.student_id and n.email_status = 'pending'
        returning n.id, n.kind, n.payload, n.created_at, n.email_status, s.name, s.email,
                  coalesce((select email from notification_preference p
                             where p.student_id = n.student_id and p.kind = n.kind), true) as wanted`,
  );
  if (!row) return null;
  const { optional } = NOTIFICATION_KINDS[row.kind];
  if (optional && !row.wanted) {
    await query(em, sql`update notification set email_status = 'off' where id = ${id}`);
    return null;
  }
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    createdAt: new Date(row.created_at),
    status: row.email_status,
    to: { name: row.name, email: row.email },
    optional,
  };
}

export async function recordEmailSent(em: EntityManager, id: number): Promise<void> {
  await query(
    em,
    sql`update notification set email_status = 'sent', email_sent_at = now(), email_error = null where id = ${id}`,
  );
}

/** An attempt failed; the queue will retry it (the error is kept for the admins' list). */
export async function recordEmailError(em: EntityManager, id: number, error: string): Promise<void> {
  await query(
    em,
    sql`update notification set email_error = ${error.slice(0, 2000)} where id = ${id} and email_status = 'pending'`,
  );
}

/** The queue gave up (its last retry failed, or timed out): admins see it among the failed emails. */
export async function markEmailFailed(em: EntityManager, id: number): Promise<void> {
  await query(
    em,
    sql`update notification set email_status = 'failed',
               email_error = coalesce(email_error, 'the send did not finish in time (its worker stopped?)')
         where id = ${id} and email_status = 'pending'`,
  );
}

/** Emails that failed after their last retry, newest first (admins). */
export async function failedEmails(em: EntityManager, input: PageRequest): Promise<Page<FailedEmailDto>> {
  const rows = await query<{
    id: number;
    kind: NotificationKind;
    student_id: number;
    name: string;
    email: string;
    email_attempts: number;
    email_error: string | null;
    created_at: Date;
    total: string;
  }>(
    em,
    sql`select n.id, n.kind, n.student_id, s.name, s.email, n.email_attempts, n.email_error, n.created_at, ${TOTAL_COLUMN}
          from notification n join student s on s.id = n.student_id
         where n.email_status = 'failed'
         order by n.id desc ${pageClause(input)}`,
  );
  const items = rows.map((row) => ({
    notificationId: row.id,
    kind: row.kind,
    student: { id: row.student_id, name: row.name, email: row.email },
    attempts: row.email_attempts,
    error: row.email_error,
    createdAt: new Date(row.created_at),
  }));
  return toPage(items, rows[0]?.total, input);
}

/** Queues a failed email again (an admin, once the mail server is fixed). */
export async function retryFailedEmail(em: EntityManager, id: number): Promise<{ id: number }> {
  return em.transactional(async (tx) => {
    const rows = await query<{ email_status: EmailStatus }>(
      tx,
      sql`select email_status from notification where id = ${id} for update`,
    );
    if (!rows[0]) throw new NotFoundError('notification', id);
    if (rows[0].email_status !== 'failed')
      throw new RuleViolationError(`the email of notification ${id} has not failed`);
    await query(tx, sql`update notification set email_status = 'pending' where id = ${id}`);
    await enqueueEmails(tx, [id]);
    return { id };
  });
}

/**
 * Queues the emails of notifications written without a transaction to queue them in (the signup statement's
 * notices: `email_queued` false), at most `limit` at once; answers how many. Marking them and queueing their
 * jobs commit together, and SKIP LOCKED lets the runners of several replicas share the work without
 * queueing one twice. The queue runners call it every second.
 */
export async function queueWaitingEmails(em: EntityManager, limit = 500): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = await query<{ id: number }>(
      tx,
      sql`update notification set email_queued = true
           where id in (select id from notification where not email_queued
                         order by id limit ${limit} for update skip locked)
          returning id`,
    );
    await enqueueEmails(
      tx,
      rows.map((row) => row.id),
    );
    return rows.length;
  });
}
