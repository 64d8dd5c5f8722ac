import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);

describe('dashboard.get', () => {
  it('counts people and seats, lists activities fullest first, and sums payments by status', async () => {
    const before = await admin.dashboard.get();
    const half = await admin.activities.create({ name: 'Half Full', maxParticipants: 2 });
    const full = await admin.activities.create({ name: 'Full Up', maxParticipants: 1 });
    const [ann, bob] = await Promise.all([createTestStudent(orm), createTestStudent(orm)]);
    await callerFor(orm, ann.token).signups.join({ activityId: full.id });
    await callerFor(orm, bob.token).signups.join({ activityId: full.id });
    await callerFor(orm, bob.token).signups.join({ activityId: half.id });
    await admin.payments.create({ studentId: ann.user.id, activityId: full.id, amountCents: 1_000 });
    const paid = await admin.payments.create({
      studentId: bob.user.id,
      activityId: half.id,
      amountCents: 250,
    });
    await admin.payments.markPaid({ id: paid.id, method: 'card' });

    const after = await admin.dashboard.get();
    expect(after.counts).toMatchObject({
      students: before.counts.students + 2,
      activities: before.counts.activities + 2,
      enrolled: before.counts.enrolled + 2,
      waitlisted: before.counts.waitlisted + 1,
    });
    expect(after.fill.map((row) => row.name).slice(0, 2)).toEqual(['Full Up', 'Half Full']);
    expect(after.fill[0]).toEqual({
      id: full.id,
      name: 'Full Up',
      enrolledCount: 1,
      maxParticipants: 1,
      waitlistCount: 1,
    });
    expect(after.payments).toEqual([
      { status: 'paid', count: 1, totalCents: 250 },
      { status: 'pending', count: 1, totalCents: 1_000 },
    ]);
  });
});
