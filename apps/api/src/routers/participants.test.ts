import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);

let counter = 0;
async function newActivity(fields: Partial<Parameters<typeof teacher.activities.create>[0]> = {}) {
  return teacher.activities.create({ name: `Activity ${++counter}`, maxParticipants: 2, ...fields });
}

describe('participants (teacher mode)', () => {
  it('adds any student by email, creating one the school does not know yet, and removes them', async () => {
    const activity = await newActivity({ maxParticipants: 1 });
    const s = await createTestStudentCaller(orm);
    await teacher.participants.add({ activityId: activity.id, email: s.user.email });
    expect(
      await teacher.participants.add({ activityId: activity.id, email: 'New.Kid@Mergington.edu' }),
    ).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    const all = await teacher.participants.list({ activityId: activity.id });
    expect(all.items.map((p) => [p.email, p.status, p.waitlistPosition])).toEqual([
      [s.user.email, 'enrolled', null],
      ['new.kid@mergington.edu', 'waitlisted', 1],
    ]);
    expect(all.items[1]).toMatchObject({ name: 'New Kid' });
    expect((await teacher.participants.list({ activityId: activity.id, status: 'waitlisted' })).total).toBe(
      1,
    );
    const removed = await teacher.participants.remove({ activityId: activity.id, email: s.user.email });
    expect(removed.promotedStudentId).toBe(all.items[1]!.studentId);
    await expect(
      teacher.participants.remove({ activityId: activity.id, email: 'ghost@mergington.edu' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
