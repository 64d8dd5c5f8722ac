// The job queue (pg-boss 10, in the `pgboss` schema of our own database, installed by a migration): jobs
// are written in the caller's transaction, so a job exists exactly when the change that wanted it committed.
import type { EntityManager } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';

export const QUEUE_SCHEMA = 'pgboss';
/** One job per notification whose email is due; its data is `{ notificationId }`. */
export const EMAIL_QUEUE = 'notification-email';
/**
 * One job per "forgot your password?" link; its data is `{ resetId, token }`. The token is in the job (the
 * email needs it) and nowhere else: the database keeps only its hash, and the job is useless after an hour.
 */
export const PASSWORD_RESET_QUEUE = 'password-reset-email';

/** A PgBoss that only writes jobs through a caller's connection (it never opens one of its own). */
const writer = new PgBoss({
  schema: QUEUE_SCHEMA,
  db: {
    executeSql: () => Promise.reject(new Error('the queue writer has no connection of its own')),
  },
});

/**
 * pg-boss's statements ($1, $2, repeated) run through MikroORM's `execute` (? marks) in the caller's
 * transaction; objects (a job's data) go as JSON.
 */
export function queueExecutor(em: EntityManager): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (text.includes('?')) throw new Error('a pg-boss statement with a ? cannot be sent as MikroORM SQL');
      const bound: unknown[] = [];
      const statement = text.replace(/\$(\d+)/g, (_, index: string) => {
        const value: unknown = values[Number(index) - 1];
        bound.push(
          value !== null && typeof value === 'object' && !(value instanceof Date)
            ? JSON.stringify(value)
            : value,
        );
        return '?';
      });
      return { rows: await em.execute(statement, bound) };
    },
  };
}

/**
 * Queues the emails of notifications in the transaction of `em`, in one statement (a lottery's publication
 * tells thousands: one round trip each took 7 s for 3,000); refuses (rolls back) if it cannot.
 */
export async function enqueueEmails(em: EntityManager, notificationIds: readonly number[]): Promise<void> {
  if (!notificationIds.length) return;
  // pg-boss's insert answers nothing, where send answered null for a missing queue: asked first.
  const [queue] = await em.execute<{ name: string }[]>(
    `select name from ${QUEUE_SCHEMA}.queue where name = ?`,
    [EMAIL_QUEUE],
  );
  if (!queue) throw new Error(`the ${EMAIL_QUEUE} queue is missing: run the migrations`);
  await writer.insert(
    notificationIds.map((notificationId) => ({ name: EMAIL_QUEUE, data: { notificationId } })),
    { db: queueExecutor(em) },
  );
}

/** Queues the email of a password reset link in the transaction of `em`; refuses (rolls back) if it cannot. */
export async function enqueuePasswordResetEmail(
  em: EntityManager,
  job: { resetId: number; token: string },
): Promise<void> {
  const id = await writer.send(PASSWORD_RESET_QUEUE, job, { db: queueExecutor(em) });
  if (!id) throw new Error(`the ${PASSWORD_RESET_QUEUE} queue is missing: run the migrations`);
}
