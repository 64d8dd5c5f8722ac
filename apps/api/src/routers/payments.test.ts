import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher, type TestUser } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** A new activity with the student signed up for it: payments are only for its participants. */
const activityOf = async (student: TestUser, name: string) => {
  const activity = await teacher.activities.create({ name, maxParticipants: 10 });
  await teacher.participants.add({ activityId: activity.id, email: student.user.email });
  return activity;
};

describe('payments', () => {
  it('go pending, then paid with a method and date; overdue is derived from the due date', async () => {
    const student = await createTestStudent(orm);
    const activity = await activityOf(student, 'Ski Trip');
    const due = await teacher.payments.create({
      studentId: student.user.id,
      activityId: activity.id,
      amountCents: 12_550,
      dueDate: daysFromToday(7),
    });
    const late = await teacher.payments.create({
      studentId: student.user.id,
      activityId: activity.id,
      amountCents: 450,
      dueDate: daysFromToday(-1),
    });
    expect(due).toMatchObject({ status: 'pending', amountCents: 12_550, paidAt: null });
    expect(late.status).toBe('overdue');
    expect(
      (await teacher.payments.list({ studentId: student.user.id, status: 'overdue' })).items.map((p) => p.id),
    ).toEqual([late.id]);

    const paid = await teacher.payments.markPaid({
      id: late.id,
      method: 'cash',
      paidAt: new Date('2026-11-20T10:00:00Z'),
    });
    expect(paid).toMatchObject({ status: 'paid', method: 'cash', paidAt: new Date('2026-11-20T10:00:00Z') });
    await expect(teacher.payments.markPaid({ id: late.id, method: 'cash' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `payment ${late.id} is paid: it cannot become paid`,
    });
  });

  it('are waived or refunded by admins only, from the right states', async () => {
    const student = await createTestStudent(orm);
    const activity = await activityOf(student, 'Museum');
    const one = await teacher.payments.create({
      studentId: student.user.id,
      activityId: activity.id,
      amountCents: 1000,
    });
    const two = await teacher.payments.create({
      studentId: student.user.id,
      activityId: activity.id,
      amountCents: 2000,
    });
    await expect(teacher.payments.waive({ id: one.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await admin.payments.waive({ id: one.id })).toMatchObject({ status: 'waived' });
    await expect(admin.payments.refund({ id: two.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await teacher.payments.markPaid({ id: two.id, method: 'card' });
    expect(await admin.payments.refund({ id: two.id })).toMatchObject({ status: 'refunded', method: 'card' });
    expect(await admin.payments.update({ id: one.id, amountCents: 900 })).toMatchObject({ amountCents: 900 });
  });

  it('are money in whole cents: no fractions, no negatives', async () => {
    const student = await createTestStudent(orm);
    const activity = await activityOf(student, 'Concert');
    for (const amountCents of [12.5, -1, Number.NaN]) {
      await expect(
        teacher.payments.create({ studentId: student.user.id, activityId: activity.id, amountCents }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
  });

  it('show students their history and balance, and admins the totals per activity and status', async () => {
    const student = await createTestStudent(orm);
    const activity = await activityOf(student, 'Band Camp');
    const base = { studentId: student.user.id, activityId: activity.id };
    const a = await teacher.payments.create({ ...base, amountCents: 1999 });
    await teacher.payments.create({ ...base, amountCents: 501, dueDate: daysFromToday(-3) });
    const c = await teacher.payments.create({ ...base, amountCents: 10_000 });
    await teacher.payments.markPaid({ id: c.id, method: 'transfer' });
    await admin.payments.waive({ id: a.id });

    const mine = await callerFor(orm, student.token).payments.mine();
    expect(mine.items).toHaveLength(3);
    expect(mine.balanceCents).toBe(501);

    const totals = await admin.payments.totals();
    expect(totals.byActivity.filter((row) => row.activity.id === activity.id)).toEqual([
      { activity: { id: activity.id, name: 'Band Camp' }, status: 'overdue', count: 1, totalCents: 501 },
      { activity: { id: activity.id, name: 'Band Camp' }, status: 'paid', count: 1, totalCents: 10_000 },
      { activity: { id: activity.id, name: 'Band Camp' }, status: 'waived', count: 1, totalCents: 1999 },
    ]);
    expect(totals.byStatus.find((row) => row.status === 'paid')?.totalCents).toBeGreaterThanOrEqual(10_000);
  });

  it('are recorded only for students signed up for the activity, enrolled or waitlisted', async () => {
    const [enrolled, waitlisted, outsider] = [
      await createTestStudent(orm),
      await createTestStudent(orm),
      await createTestStudent(orm),
    ];
    const activity = await teacher.activities.create({ name: 'Theatre Trip', maxParticipants: 1 });
    for (const student of [enrolled, waitlisted])
      await teacher.participants.add({ activityId: activity.id, email: student.user.email });
    for (const student of [enrolled, waitlisted]) {
      expect(
        await teacher.payments.create({
          studentId: student.user.id,
          activityId: activity.id,
          amountCents: 900,
        }),
      ).toMatchObject({ student: { id: student.user.id }, status: 'pending' });
    }
    await expect(
      teacher.payments.create({ studentId: outsider.user.id, activityId: activity.id, amountCents: 900 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message:
        `${outsider.user.name} is not signed up for Theatre Trip: a payment is recorded only for a student ` +
        'enrolled in the activity or on its waitlist',
    });
    expect((await teacher.payments.list({ studentId: outsider.user.id })).total).toBe(0);
  });
});
