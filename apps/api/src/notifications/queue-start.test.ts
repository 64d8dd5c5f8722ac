import { pino } from 'pino';
import { expect, it } from 'vitest';
import { QUEUE_SCHEMA } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { FAILED_EMAIL_QUEUE, REMINDERS_QUEUE, startQueue } from './queue.ts';

const { orm, url } = await useTestDatabase();

// Replicas of the API start together after a deploy, each running the queue. Without a lock around the
// queues' set-up PostgreSQL ended one of them as a deadlock (two creating the same queue's partition), and
// that replica failed to start.
it('starts on several runners at once, on a database with no queues yet', async () => {
  const queueNames = async () =>
    (
      await orm.em
        .fork()
        .getConnection()
        .execute<{ name: string }[]>(`select name from ${QUEUE_SCHEMA}.queue order by name`)
    ).map((row) => row.name);
  expect(await queueNames()).not.toContain(FAILED_EMAIL_QUEUE);

  const settings = {
    SMTP_URL: undefined,
    MAIL_FROM: 'Mergington High School <no-reply@mergington.edu>',
    SCHOOL_NAME: 'Mergington High School',
    PUBLIC_URL: 'https://activities.mergington.edu',
    EMAIL_RETRY_LIMIT: 3,
    EMAIL_RETRY_DELAY_SECONDS: 1,
    EMAIL_TIMEOUT_SECONDS: 3,
  };
  const runners = await Promise.all(
    Array.from({ length: 6 }, () =>
      startQueue({ databaseUrl: url, orm, logger: pino({ level: 'silent' }), settings }),
    ),
  );
  await Promise.all(runners.map((runner) => runner.stop()));
  expect(await queueNames()).toEqual(expect.arrayContaining([FAILED_EMAIL_QUEUE, REMINDERS_QUEUE]));
});
