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
  it('adds students the school knows, by id or email, and removes them', async () => {
    const activity = await newActivity({ maxParticipants: 1 });
    const s = await createTestStudentCaller(orm);
    const other = await createTestStudentCaller(orm);
    await teacher.participants.add({ activityId: activity.id, email: s.user.email.toUpperCase() });
    expect(
      await teacher.participants.add({ activityId: activity.id, studentId: other.user.id }),
    ).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    const all = await teacher.participants.list({ activityId: activity.id });
    expect(all.items.map((p) => [p.email, p.status, p.waitlistPosition])).toEqual([
      [s.user.email, 'enrolled', null],
      [other.user.email, 'waitlisted', 1],
    ]);
    expect((await teacher.participants.list({ activityId: activity.id, status: 'waitlisted' })).total).toBe(
      1,
    );
    const removed = await teacher.participants.remove({ activityId: activity.id, email: s.user.email });
    expect(removed.promotedStudentId).toBe(other.user.id);
    await expect(
      teacher.participants.remove({ activityId: activity.id, email: 'ghost@mergington.edu' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses an email no student has, creating nobody: a new account is its own explicit step', async () => {
    const activity = await newActivity();
    await expect(
      teacher.participants.add({ activityId: activity.id, email: 'nobody@mergington.edu' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await teacher.participants.list({ activityId: activity.id })).total).toBe(0);
    await expect(teacher.participants.add({ activityId: activity.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    expect(
      await teacher.participants.addNewStudent({
        activityId: activity.id,
        email: 'New.Kid@Mergington.edu',
        name: 'Nadia Kidd',
        grade: 9,
      }),
    ).toMatchObject({ status: 'enrolled' });
    const [added] = (await teacher.participants.list({ activityId: activity.id })).items;
    expect(added).toMatchObject({ email: 'new.kid@mergington.edu', name: 'Nadia Kidd', grade: 9 });
    await expect(
      teacher.participants.addNewStudent({
        activityId: (await newActivity()).id,
        email: 'new.kid@mergington.edu',
        name: 'Someone Else',
        grade: null,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
