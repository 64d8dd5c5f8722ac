import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schoolTimeZone } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { startApiProcess } from '../process.ts';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';
import { PREFERENCES_PATH } from './email.ts';
import { startMailServer, waitFor } from './mail-server.testing.ts';
import { type QueueRunner, REMINDERS_QUEUE, startQueue } from './queue.ts';
import type { EmailSettings } from './settings.ts';

const { orm, url } = await useTestDatabase();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const mail = await startMailServer();
afterAll(() => mail.stop());

// Short retries, so that "down for a while, then back" takes seconds.
const settings: EmailSettings = {
  SMTP_URL: mail.url,
  MAIL_FROM: 'Mergington High School <no-reply@mergington.edu>',
  SCHOOL_NAME: 'Mergington High School',
  PUBLIC_URL: 'https://activities.mergington.edu',
  EMAIL_RETRY_LIMIT: 10,
  EMAIL_RETRY_DELAY_SECONDS: 1,
  EMAIL_TIMEOUT_SECONDS: 3,
};
const queueEnv = {
  SMTP_URL: mail.url,
  MAIL_FROM: settings.MAIL_FROM,
  EMAIL_RETRY_DELAY_SECONDS: '1',
  EMAIL_TIMEOUT_SECONDS: '3',
};

let n = 0;
const fullActivity = async () => {
  const activity = await admin.activities.create({ name: `Robotics ${++n}`, maxParticipants: 1 });
  await admin.participants.addNewStudent({
    activityId: activity.id,
    email: `first-${n}-${Date.now()}@mergington.edu`,
    name: `First ${n}`,
    grade: null,
  });
  return activity;
};
const mailTo = (email: string) =>
  mail.mailbox.filter((m) => m.to && 'text' in m.to && m.to.text.includes(email));
const notificationsOf = (studentId: number) =>
  sql<{ id: number; kind: string; email_status: string; email_attempts: number; email_error: string | null }>(
    `select id, kind, email_status, email_attempts, email_error from notification where student_id = ? order by id`,
    [studentId],
  );
const allSent = async (ids: number[]) =>
  (
    await sql<{ pending: number }>(
      `select count(*)::int as pending from notification where id = any(?::int[]) and email_status <> 'sent'`,
      [`{${ids.join(',')}}`],
    )
  )[0]!.pending === 0;

describe('notification emails through the queue', () => {
  let queue: QueueRunner | null = null;
  beforeAll(async () => {
    queue = await startQueue({ databaseUrl: url, orm, logger: pino({ level: 'silent' }), settings });
  });
  afterAll(() => queue?.stop());

  it('a withdrawal that promotes: exactly one email and one in-app notification for the promoted student', async () => {
    const activity = await admin.activities.create({ name: `Robotics ${++n}`, maxParticipants: 1 });
    const [leaver, waiting] = [await createTestStudent(orm), await createTestStudent(orm)];
    await callerFor(orm, leaver.token).signups.join({ activityId: activity.id });
    await callerFor(orm, waiting.token).signups.join({ activityId: activity.id });
    await callerFor(orm, leaver.token).signups.leave({ activityId: activity.id });

    await waitFor(
      () => mailTo(waiting.user.email).length === 2,
      20_000,
      'the waitlisted and the promoted email',
    );
    const inApp = (await callerFor(orm, waiting.token).notifications.list({})).items;
    expect(inApp.map((item) => item.kind)).toEqual(['promoted', 'signup_waitlisted']);
    const promoted = mailTo(waiting.user.email).filter((m) => m.subject?.includes('is yours'));
    expect(promoted).toHaveLength(1);
    const [email] = promoted;
    expect(email!.from?.value).toEqual([
      { name: 'Mergington High School', address: 'no-reply@mergington.edu' },
    ]);
    expect(email!.to && 'value' in email!.to ? email!.to.value[0]!.address : null).toBe(waiting.user.email);
    expect(email!.subject).toBe(`Mergington High School: A seat in ${activity.name} is yours`);
    expect(email!.text).toContain(`Hello ${waiting.user.name},`);
    expect(email!.text).toContain(`Open it: https://activities.mergington.edu/activities/${activity.id}`);
    expect(email!.html).toContain(`<a href="https://activities.mergington.edu/activities/${activity.id}">`);
    expect(email!.html).toContain('Mergington High School');
    // mailparser gathers the List-* headers under `list`.
    expect(email!.headers.get('list')).toEqual({
      unsubscribe: { url: `https://activities.mergington.edu${PREFERENCES_PATH}` },
    });
    expect(email!.messageId).toBe(
      `<notification-${inApp[0]!.id}.${inApp[0]!.createdAt.getTime()}@mergington.edu>`,
    );
    expect(mail.arrivals.get(email!.messageId!)).toBe(1);
    // The leaver's own confirmation is in-app only (its email is off by default); leaving tells nobody else.
    expect(mailTo(leaver.user.email)).toEqual([]);
  });

  it("schedules the daily reminders once, at 07:00 on school days in the school's time zone", async () => {
    expect(await sql(`select name, cron, timezone from pgboss.schedule`)).toEqual([
      { name: REMINDERS_QUEUE, cron: '0 7 * * 1-5', timezone: schoolTimeZone() },
    ]);
  });

  it('a kind that is always emailed has no List-Unsubscribe', async () => {
    const activity = await fullActivity();
    const removed = await createTestStudent(orm);
    await admin.participants.add({ activityId: activity.id, email: removed.user.email });
    await admin.participants.remove({ activityId: activity.id, email: removed.user.email });
    await waitFor(
      () => mailTo(removed.user.email).some((m) => m.subject?.includes('Removed')),
      20_000,
      'removal',
    );
    const email = mailTo(removed.user.email).find((m) => m.subject?.includes('Removed'))!;
    expect(email.headers.has('list')).toBe(false);
    expect(email.text).toContain('always sent');
  });

  it('SMTP down for a while, then back: every email waits and goes out once', async () => {
    await mail.stop();
    const activity = await fullActivity();
    const students = [
      await createTestStudent(orm),
      await createTestStudent(orm),
      await createTestStudent(orm),
    ];
    for (const student of students)
      await callerFor(orm, student.token).signups.join({ activityId: activity.id });
    const ids = (await Promise.all(students.map((s) => notificationsOf(s.user.id)))).map(
      (rows) => rows[0]!.id,
    );

    // Retried with backoff while the server refuses connections, the error kept for the admins.
    await waitFor(
      async () =>
        (await Promise.all(students.map((s) => notificationsOf(s.user.id)))).every(
          (r) => r[0]!.email_attempts >= 2,
        ),
      30_000,
      'two failed attempts each',
    );
    const [down] = await notificationsOf(students[0]!.user.id);
    expect(down).toMatchObject({ email_status: 'pending' });
    expect(down!.email_error).toMatch(/ECONNREFUSED/);

    await mail.start();
    await waitFor(() => allSent(ids), 40_000, 'the emails after SMTP came back');
    for (const student of students) {
      const received = mailTo(student.user.email);
      expect(received).toHaveLength(1);
      expect(mail.arrivals.get(received[0]!.messageId!)).toBe(1);
    }
  });

  it('two API replicas running the queue: each email is sent once', async () => {
    await queue!.stop();
    queue = null;
    const replicas = [await startApiProcess(url, queueEnv), await startApiProcess(url, queueEnv)];
    try {
      const activity = await fullActivity();
      const students = [];
      for (let i = 0; i < 20; i++) students.push(await createTestStudent(orm));
      for (const student of students)
        await callerFor(orm, student.token).signups.join({ activityId: activity.id });
      const ids = (await Promise.all(students.map((s) => notificationsOf(s.user.id)))).map(
        (rows) => rows[0]!.id,
      );
      await waitFor(() => allSent(ids), 90_000, '20 emails from two replicas');
      for (const student of students) {
        const received = mailTo(student.user.email);
        expect(received).toHaveLength(1);
        expect(mail.arrivals.get(received[0]!.messageId!)).toBe(1);
      }
    } finally {
      for (const replica of replicas) replica.stop();
      await Promise.all(replicas.map((replica) => replica.exited));
    }
  }, 150_000);
});

describe('a worker killed between sending and recording', () => {
  it('is resent under the same Message-ID once the send times out, and the mailbox keeps it once', async () => {
    const killing = await startMailServer({
      // The first arrival kills the worker (SIGKILL) before the server answers: sent, never recorded.
      onMessage: async () => {
        if (worker.killed) return;
        worker.kill('SIGKILL');
        await new Promise((resolve) => worker.once('exit', resolve));
      },
    });
    afterAll(() => killing.stop());
    const worker = startWorker(killing.url);

    // One email only: a signup confirmation the student turned on (no teacher's add beside it).
    const activity = await admin.activities.create({ name: `Robotics ${++n}`, maxParticipants: 5 });
    const student = await createTestStudent(orm);
    await callerFor(orm, student.token).notifications.setPreference({
      kind: 'signup_confirmed',
      email: true,
    });
    await callerFor(orm, student.token).signups.join({ activityId: activity.id });
    const [notification] = await notificationsOf(student.user.id);
    await waitFor(() => killing.arrivals.size === 1, 30_000, 'the first send');
    expect(worker.killed).toBe(true);
    expect((await notificationsOf(student.user.id))[0]!.email_status).toBe('pending');

    const second = startWorker(killing.url);
    try {
      await waitFor(() => allSent([notification!.id]), 60_000, 'the send after the worker died');
      const [messageId] = [...killing.arrivals.keys()];
      expect(killing.arrivals.get(messageId!)).toBe(2);
      expect(killing.mailbox).toHaveLength(1);
      expect((await notificationsOf(student.user.id))[0]!.email_attempts).toBe(2);
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
  }, 150_000);
});

/** `pnpm worker`'s process (src/worker.ts) on the test database. */
function startWorker(smtpUrl = mail.url) {
  return spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../worker.ts', import.meta.url))],
    {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', ...queueEnv, SMTP_URL: smtpUrl },
      stdio: 'inherit',
    },
  );
}
