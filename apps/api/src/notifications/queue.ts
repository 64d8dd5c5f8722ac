// The job queue's worker side: pg-boss on the app's database, sending the emails that notifications queued
// (see packages/db/src/queue.ts for the writing side) and running the daily reminders.
import nodemailer from 'nodemailer';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import {
  beginEmail,
  EMAIL_QUEUE,
  markEmailFailed,
  type MikroORM,
  PASSWORD_RESET_QUEUE,
  passwordResetToSend,
  QUEUE_SCHEMA,
  queueWaitingEmails,
  recordEmailError,
  recordEmailSent,
  schoolTimeZone,
  writeDailyReminders,
} from '@mergington/db';
import { composeEmail, composePasswordResetEmail } from './email.ts';
import type { EmailSettings } from './settings.ts';

/** Where an email job goes after its last retry (or a send that timed out on its last try): failed. */
export const FAILED_EMAIL_QUEUE = `${EMAIL_QUEUE}-failed`;

/** The daily reminders: at 07:00 on school days where the school is. */
export const REMINDERS_QUEUE = 'daily-reminders';
export const REMINDERS_CRON = '0 7 * * 1-5';

export interface QueueRunner {
  stop(): Promise<void>;
}

interface EmailJob {
  notificationId: number;
}

interface PasswordResetJob {
  resetId: number;
  token: string;
}

/**
 * Starts pg-boss on `databaseUrl` with a small pool of its own: sends notification emails (when SMTP_URL
 * is set) with retries and backoff, and marks those that fail for good. Several runners (replicas) share
 * the work safely: pg-boss hands each job to one of them (SELECT ... FOR UPDATE SKIP LOCKED).
 */
export async function startQueue(options: {
  databaseUrl: string;
  orm: MikroORM;
  logger: Logger;
  settings: EmailSettings;
}): Promise<QueueRunner> {
  const { orm, logger, settings } = options;
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: QUEUE_SCHEMA,
    application_name: 'mergington-queue',
    max: 3,
    // How soon a send whose worker died is seen to have timed out (and retried).
    maintenanceIntervalSeconds: Math.min(settings.EMAIL_TIMEOUT_SECONDS, 60),
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  // Replicas starting together would each create the queues (a table partition each) at once, and
  // PostgreSQL ended one of them as a deadlock: one runner at a time sets the queues up.
  await oneRunnerAtATime(orm, async () => {
    await boss.start();
    await boss.createQueue(FAILED_EMAIL_QUEUE, { name: FAILED_EMAIL_QUEUE, retryLimit: 5 });
    await boss.updateQueue(EMAIL_QUEUE, {
      name: EMAIL_QUEUE,
      retryLimit: settings.EMAIL_RETRY_LIMIT,
      retryDelay: settings.EMAIL_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: settings.EMAIL_TIMEOUT_SECONDS,
      deadLetter: FAILED_EMAIL_QUEUE,
    });
    await boss.createQueue(REMINDERS_QUEUE, { name: REMINDERS_QUEUE, retryLimit: 3, retryDelay: 60 });
    await boss.schedule(REMINDERS_QUEUE, REMINDERS_CRON, {}, { tz: schoolTimeZone() });
  });

  await boss.work<EmailJob>(FAILED_EMAIL_QUEUE, async ([job]) => {
    await markEmailFailed(orm.em.fork(), job!.data.notificationId);
  });

  // pg-boss's schedules are shared by every runner: each minute's job is sent once (a singleton key), and
  // writeDailyReminders writes each reminder once even if it ran twice.
  await boss.work(REMINDERS_QUEUE, async () => {
    const { written } = await writeDailyReminders(orm.em.fork());
    logger.info({ written }, 'daily reminders written');
  });

  const relay = relayWaitingEmails(orm, logger);

  if (!settings.SMTP_URL) {
    logger.warn(
      'email is off: SMTP_URL is not set (notifications stay in the app; their emails wait in the queue)',
    );
  } else {
    const transport = nodemailer.createTransport(settings.SMTP_URL);
    await boss.work<EmailJob>(
      EMAIL_QUEUE,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 },
      async ([job]) => {
        const id = job!.data.notificationId;
        const em = orm.em.fork();
        const notification = await beginEmail(em, id);
        if (!notification) return;
        const email = composeEmail(notification, settings);
        try {
          await transport.sendMail({
            from: email.from,
            to: email.to,
            subject: email.subject,
            text: email.text,
            html: email.html,
            messageId: email.messageId,
            headers: email.headers,
          });
        } catch (error) {
          await recordEmailError(em, id, String(error));
          throw error;
        }
        await recordEmailSent(em, id);
      },
    );

    // A reset link's email: retried by the queue (the migration's settings), and not sent at all once the
    // link is used or expired. There is no failed list: after an hour the link is dead anyway.
    await boss.work<PasswordResetJob>(
      PASSWORD_RESET_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 1 },
      async ([job]) => {
        const { resetId, token } = job!.data;
        const reset = await passwordResetToSend(orm.em.fork(), resetId);
        if (!reset) return;
        const email = composePasswordResetEmail({ resetId, token, ...reset }, settings);
        await transport.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: email.messageId,
        });
      },
    );
    logger.info(
      { smtp: new URL(settings.SMTP_URL).host },
      'email on: the queue sends notification emails and password reset links',
    );
  }

  return {
    async stop() {
      await relay.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/** How often the runners look for notifications whose email job is still to be queued. */
const RELAY_INTERVAL_MS = 1_000;

/**
 * Every second, queues the emails that the signup statement's notices left to queue (queueWaitingEmails),
 * batch after batch until none wait. A failed round is logged and tried again a second later.
 */
function relayWaitingEmails(orm: MikroORM, logger: Logger): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      while (!stopped && (await queueWaitingEmails(orm.em.fork())) > 0);
    } catch (error) {
      logger.error({ err: error }, 'queueing waiting emails failed');
    }
    if (!stopped) timer = setTimeout(() => (running = round()), RELAY_INTERVAL_MS);
  };
  running = round();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Runs `setup` while holding a lock that every queue runner on this database takes for its own. */
async function oneRunnerAtATime(orm: MikroORM, setup: () => Promise<void>): Promise<void> {
  const connection = orm.em.getConnection();
  await connection.transactional(async (trx) => {
    await connection.execute(
      `select pg_advisory_xact_lock(hashtext('mergington.queue_setup'))`,
      [],
      'all',
      trx,
    );
    await setup();
  });
}
