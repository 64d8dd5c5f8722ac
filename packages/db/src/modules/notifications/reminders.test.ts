import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { createPayment, markPaid } from '../payments/payments.ts';
import { writeDailyReminders } from './reminders.ts';

const { orm } = await useTestDatabase({ poolMax: 12 });
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

const [activity] = await sql<{ id: number }>(
  `insert into activity (name, max_participants) values ('Band', 10) returning id`,
);
const [student] = await sql<{ id: number }>(
  `insert into student (email, name, grade) values ('pay@mergington.edu', 'Pat Payer', 10) returning id`,
);
// Payments are only for students signed up for the activity.
await sql(`insert into activity_participant (activity_id, student_id, status) values (?, ?, 'enrolled')`, [
  activity!.id,
  student!.id,
]);
const owe = (dueDate: string | null, amountCents = 1000) =>
  createPayment(fork(), {
    studentId: student!.id,
    activityId: activity!.id,
    amountCents,
    description: `Fee due ${dueDate}`,
    dueDate,
  });
/** 07:00 of a December day at the school (New York), when the schedule runs. */
const sevenAm = (day: string) => new Date(`${day}T12:00:00Z`);
const reminders = () =>
  sql<{ kind: string; payload: { paymentId: number; dueDate: string } }>(
    `select kind, payload from notification where kind in ('payment_due_soon', 'payment_overdue') order by (payload->>'paymentId')::int, id`,
  );

describe('daily reminders', () => {
  it('reminds of payments due within 3 days and of overdue ones, once each however often it runs', async () => {
    const inThree = await owe('2026-12-04');
    const inFour = await owe('2026-12-05');
    const overdue = await owe('2026-11-30');
    const paid = await owe('2026-12-02');
    await owe(null);
    await markPaid(fork(), { id: paid.id, method: 'cash' });

    // Two replicas' runs at once, then another the day after.
    await Promise.all([
      writeDailyReminders(fork(), sevenAm('2026-12-01')),
      writeDailyReminders(fork(), sevenAm('2026-12-01')),
    ]);
    await writeDailyReminders(fork(), sevenAm('2026-12-02'));
    expect((await reminders()).map((r) => [r.kind, r.payload.paymentId, r.payload.dueDate])).toEqual([
      ['payment_due_soon', inThree.id, '2026-12-04'],
      ['payment_due_soon', inFour.id, '2026-12-05'],
      ['payment_overdue', overdue.id, '2026-11-30'],
    ]);
    // Due soon, then overdue: a second, different reminder.
    await writeDailyReminders(fork(), sevenAm('2026-12-05'));
    expect((await reminders()).filter((r) => r.payload.paymentId === inThree.id).map((r) => r.kind)).toEqual([
      'payment_due_soon',
      'payment_overdue',
    ]);
  });
});
