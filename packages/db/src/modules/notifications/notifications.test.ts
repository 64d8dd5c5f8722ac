import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { NotFoundError } from '../../errors.ts';
import { EMAIL_QUEUE } from '../../queue.ts';
import { createSession } from '../accounts/accounts.ts';
import { signUpStudent, signUpWithSession, withdraw } from '../activities/signups.ts';
import { moveMeeting, setMeetingCancelled } from '../attendance/meetings.ts';
import { signUpByActivityName, unregisterByActivityName } from '../legacy/legacy.ts';
import { markPaid, createPayment } from '../payments/payments.ts';
import { queueWaitingEmails } from './delivery.ts';
import {
  listNotifications,
  markAllRead,
  markRead,
  preferences,
  setPreference,
  unreadCount,
} from './notifications.ts';

/** The request a self-signup names to the audit trail. */
const REQUEST = { requestId: 'notifications-test', clientAddress: '127.0.0.1' };

const { orm } = await useTestDatabase();
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

let nextName = 0;
async function activityWithSeats(seats: number) {
  const [row] = await sql<{ id: number }>(
    `insert into activity (name, max_participants) values (?, ?) returning id`,
    [`Chess ${++nextName}`, seats],
  );
  return row!.id;
}
async function student() {
  const [row] = await sql<{ id: number }>(
    `insert into student (email, name, grade) values (?, ?, 10) returning id`,
    [`n${++nextName}@mergington.edu`, `Student ${nextName}`],
  );
  return row!.id;
}
const notificationsOf = (studentId: number) =>
  sql<{ id: number; kind: string; email_status: string; payload: Record<string, unknown> }>(
    `select id, kind, email_status, payload from notification where student_id = ? order by id`,
    [studentId],
  );
const emailJobsOf = (notificationIds: number[]) =>
  sql<{ notification_id: number }>(
    `select (data->>'notificationId')::int as notification_id from pgboss.job
      where name = ? and (data->>'notificationId')::int = any(?::int[])`,
    [EMAIL_QUEUE, `{${notificationIds.join(',')}}`],
  );

describe('notifications written with their cause', () => {
  it('a withdrawal that promotes writes one promotion notification and one email job for the promoted student', async () => {
    const activityId = await activityWithSeats(1);
    const [leaver, waiting, behind] = [await student(), await student(), await student()];
    await signUpStudent(fork(), leaver, activityId);
    await signUpStudent(fork(), waiting, activityId);
    await signUpStudent(fork(), behind, activityId);
    expect((await notificationsOf(waiting)).map((n) => [n.kind, n.payload.waitlistPosition])).toEqual([
      ['signup_waitlisted', 1],
    ]);

    await withdraw(fork(), leaver, activityId);

    const promoted = (await notificationsOf(waiting)).filter((n) => n.kind === 'promoted');
    expect(promoted).toHaveLength(1);
    expect(promoted[0]!.email_status).toBe('pending');
    expect(promoted[0]!.payload).toMatchObject({ activityId, activityName: `Chess ${nextName - 3}` });
    expect(await emailJobsOf(promoted.map((n) => n.id))).toHaveLength(1);
    expect((await notificationsOf(behind)).map((n) => n.kind)).toEqual(['signup_waitlisted']);
    expect((await notificationsOf(leaver)).map((n) => n.kind)).toEqual(['signup_confirmed']);
  });

  it('a withdrawal that fails writes no notification and queues no email', async () => {
    const activityId = await activityWithSeats(1);
    const [leaver, waiting] = [await student(), await student()];
    await signUpStudent(fork(), leaver, activityId);
    await signUpStudent(fork(), waiting, activityId);
    const before = await sql<{ count: number }>(`select count(*)::int as count from pgboss.job`);

    // The queue refuses the promotion's email job: the promotion, its notification and the withdrawal
    // itself are rolled back together.
    await sql(`create function refuse_job() returns trigger language plpgsql as $$
                 begin raise exception 'queue unavailable'; end $$`);
    await sql(
      `create trigger refuse_job before insert on pgboss.job for each row execute function refuse_job()`,
    );
    try {
      await expect(withdraw(fork(), leaver, activityId)).rejects.toThrow(/queue unavailable/);
    } finally {
      await sql(`drop trigger refuse_job on pgboss.job`);
      await sql(`drop function refuse_job()`);
    }
    expect((await notificationsOf(waiting)).map((n) => n.kind)).toEqual(['signup_waitlisted']);
    const [state] = await sql<{ status: string }>(
      `select status from activity_participant where student_id = ? and activity_id = ?`,
      [leaver, activityId],
    );
    expect(state!.status).toBe('enrolled');
    expect(await sql(`select count(*)::int as count from pgboss.job`)).toEqual(before);

    // Not signed up at all: refused, nothing written.
    const stranger = await student();
    await expect(withdraw(fork(), stranger, activityId)).rejects.toThrow(NotFoundError);
    expect(await notificationsOf(stranger)).toEqual([]);
  });

  it('a teacher removing a student tells them, and the one promoted', async () => {
    const activityId = await activityWithSeats(1);
    const [removed, waiting] = [await student(), await student()];
    await signUpStudent(fork(), removed, activityId);
    await signUpStudent(fork(), waiting, activityId);
    await withdraw(fork(), removed, activityId, 'teacher');
    expect((await notificationsOf(removed)).map((n) => [n.kind, n.email_status])).toEqual([
      ['signup_confirmed', 'off'],
      ['removed_by_teacher', 'pending'],
    ]);
    expect((await notificationsOf(waiting)).map((n) => n.kind)).toEqual(['signup_waitlisted', 'promoted']);
  });

  it('email follows the preference per kind; the in-app notification is written either way', async () => {
    const activityId = await activityWithSeats(1);
    await signUpStudent(fork(), await student(), activityId);
    const someone = await student();
    await setPreference(fork(), someone, { kind: 'signup_waitlisted', email: false });
    await signUpStudent(fork(), someone, activityId);
    const [waitlisted] = await notificationsOf(someone);
    expect(waitlisted).toMatchObject({ kind: 'signup_waitlisted', email_status: 'off' });
    expect(await emailJobsOf([waitlisted!.id])).toEqual([]);
    await expect(setPreference(fork(), someone, { kind: 'payment_overdue', email: false })).rejects.toThrow(
      /cannot be turned off/,
    );
    const chosen = await preferences(fork(), someone);
    expect(chosen.find((p) => p.kind === 'signup_waitlisted')).toMatchObject({
      email: false,
      optional: true,
    });
    expect(chosen.find((p) => p.kind === 'payment_overdue')).toMatchObject({ email: true, optional: false });
  });

  it('lists newest first, counts the unread, marks one or all read', async () => {
    const activityId = await activityWithSeats(5);
    const someone = await student();
    await signUpStudent(fork(), someone, activityId);
    const payment = await createPayment(fork(), {
      studentId: someone,
      activityId,
      amountCents: 2500,
      description: 'Board fee',
      dueDate: null,
    });
    await markPaid(fork(), { id: payment.id, method: 'cash' });
    const page = await listNotifications(fork(), someone, { page: 1, pageSize: 20, unreadOnly: false });
    expect(page.items.map((n) => n.kind)).toEqual(['payment_recorded', 'signup_confirmed']);
    expect(page.items[0]).toMatchObject({ title: 'Payment received: $25.00', link: '/payments' });
    expect(await unreadCount(fork(), someone)).toEqual({ unread: 2 });
    await markRead(fork(), someone, page.items[1]!.id);
    expect(await unreadCount(fork(), someone)).toEqual({ unread: 1 });
    await expect(markRead(fork(), await student(), page.items[0]!.id)).rejects.toThrow(NotFoundError);
    expect(await markAllRead(fork(), someone)).toEqual({ marked: 1 });
    expect(await unreadCount(fork(), someone)).toEqual({ unread: 0 });
  });

  it('a self-signup through the session-checked statement writes its notification with the position; a refused one writes none', async () => {
    const activityId = await activityWithSeats(1);
    const [first, second] = [await student(), await student()];
    const tokenOf = async (id: number) =>
      (
        await createSession(fork(), {
          kind: 'student',
          id,
          email: '',
          name: '',
          grade: 10,
          mustChangePassword: false,
        })
      ).token;
    expect(await signUpWithSession(fork(), await tokenOf(first), activityId, REQUEST)).toMatchObject({
      status: 'enrolled',
    });
    const secondToken = await tokenOf(second);
    expect(await signUpWithSession(fork(), secondToken, activityId, REQUEST)).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    expect((await notificationsOf(first)).map((n) => [n.kind, n.email_status])).toEqual([
      ['signup_confirmed', 'off'],
    ]);
    const [waitlisted] = await notificationsOf(second);
    expect(waitlisted).toMatchObject({ kind: 'signup_waitlisted', email_status: 'pending' });
    expect(waitlisted!.payload).toMatchObject({ activityId, waitlistPosition: 1 });
    // Written by the signup statement alone: its email job is left to the queue runners, queued once.
    expect(await emailJobsOf([waitlisted!.id])).toEqual([]);
    expect(await queueWaitingEmails(fork())).toBe(1);
    expect(await emailJobsOf([waitlisted!.id])).toEqual([{ notification_id: waitlisted!.id }]);
    expect(await queueWaitingEmails(fork())).toBe(0);
    expect(await emailJobsOf([waitlisted!.id])).toHaveLength(1);

    // Signed up already: refused, and nothing more written.
    await expect(signUpWithSession(fork(), secondToken, activityId, REQUEST)).rejects.toThrow(
      /already signed up/,
    );
    expect(await notificationsOf(second)).toHaveLength(1);
  });

  it('emails left waiting are queued once each, however many runners share them', async () => {
    const someone = await student();
    await sql(
      `insert into notification (student_id, kind, payload, email_status, email_queued)
       select ?, 'signup_waitlisted', '{}', 'pending', false from generate_series(1, 60)`,
      [someone],
    );
    const waiting = (await notificationsOf(someone)).map((n) => n.id);
    // Four runners at once, small batches, each until it finds none: without the row locks (SKIP LOCKED)
    // two of them would take the same notifications and queue their emails twice.
    const runner = async () => {
      let queued = 0;
      for (let batch; (batch = await queueWaitingEmails(fork(), 5)) > 0;) queued += batch;
      return queued;
    };
    const counts = await Promise.all([runner(), runner(), runner(), runner()]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(60);
    const jobs = (await emailJobsOf(waiting)).map((job) => job.notification_id).sort((a, b) => a - b);
    expect(jobs).toEqual(waiting.sort((a, b) => a - b));
  });

  it('a cancelled, restored or moved meeting tells the enrolled students once each, not the waitlist', async () => {
    const [row] = await sql<{ id: number }>(
      `insert into activity (name, max_participants, schedule_days, start_time, end_time, term_starts_on, term_ends_on)
       values (?, 1, '{monday}', '15:30', '16:30', '2027-03-01', '2027-03-29') returning id`,
      [`Meeting club ${++nextName}`],
    );
    const activityId = row!.id;
    const [enrolled, waiting] = [await student(), await student()];
    await signUpStudent(fork(), enrolled, activityId);
    await signUpStudent(fork(), waiting, activityId);
    const meeting = { activityId, scheduledOn: '2027-03-08' };
    const zone = 'America/New_York';

    await setMeetingCancelled(fork(), meeting, true, zone);
    await setMeetingCancelled(fork(), meeting, true, zone); // again: no news
    await setMeetingCancelled(fork(), meeting, false, zone);
    await moveMeeting(fork(), { meeting, date: '2027-03-16', startTime: '16:00', endTime: '17:00' }, zone);
    await moveMeeting(fork(), { meeting, date: '2027-03-16', startTime: '16:00', endTime: '17:00' }, zone);

    const told = await notificationsOf(enrolled);
    expect(told.map((n) => [n.kind, n.email_status, n.payload.meetingWhen, n.payload.newWhen])).toEqual([
      ['signup_confirmed', 'off', undefined, undefined],
      ['meeting_cancelled', 'pending', 'Monday, March 8, 15:30–16:30', undefined],
      ['meeting_restored', 'pending', 'Monday, March 8, 15:30–16:30', undefined],
      ['meeting_moved', 'pending', 'Monday, March 8, 15:30–16:30', 'Tuesday, March 16, 16:00–17:00'],
    ]);
    expect(await emailJobsOf(told.slice(1).map((n) => n.id))).toHaveLength(3);
    expect((await notificationsOf(waiting)).map((n) => n.kind)).toEqual(['signup_waitlisted']);
    // Two teachers cancel the same meeting at once: it is told once.
    const other = { activityId, scheduledOn: '2027-03-22' };
    await Promise.all([
      setMeetingCancelled(fork(), other, true, zone),
      setMeetingCancelled(fork(), other, true, zone),
    ]);
    expect(
      (await notificationsOf(enrolled)).filter((n) => n.payload.meetingWhen?.toString().includes('March 22')),
    ).toHaveLength(1);
    const page = await listNotifications(fork(), enrolled, { page: 1, pageSize: 20, unreadOnly: false });
    expect(page.items.find((n) => n.kind === 'meeting_moved')).toMatchObject({
      title: expect.stringContaining('moved to Tuesday, March 16, 16:00–17:00'),
      link: `/activities/${activityId}`,
    });
  });

  it('the old open page (anyone types an email) does not say a teacher did it; its teachers mode does', async () => {
    const activityId = await activityWithSeats(5);
    const [activity] = await sql<{ name: string }>(`select name from activity where id = ?`, [activityId]);
    const name = activity!.name;
    const kindsOf = async (email: string) =>
      (
        await sql<{ kind: string }>(
          `select n.kind from notification n join student s on s.id = n.student_id where s.email = ? order by n.id`,
          [email],
        )
      ).map((row) => row.kind);
    await signUpByActivityName(fork(), name, 'open.page@mergington.edu', 'open');
    await unregisterByActivityName(fork(), name, 'open.page@mergington.edu', 'open');
    expect(await kindsOf('open.page@mergington.edu')).toEqual(['signup_confirmed']);
    await signUpByActivityName(fork(), name, 'by.teacher@mergington.edu', 'teachers');
    await unregisterByActivityName(fork(), name, 'by.teacher@mergington.edu', 'teachers');
    expect(await kindsOf('by.teacher@mergington.edu')).toEqual(['added_by_teacher', 'removed_by_teacher']);
  });
});
