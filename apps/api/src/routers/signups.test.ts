import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);

let counter = 0;
async function newActivity(fields: Partial<Parameters<typeof teacher.activities.create>[0]> = {}) {
  return teacher.activities.create({ name: `Activity ${++counter}`, maxParticipants: 2, ...fields });
}

describe('signups', () => {
  it('enrol, then waitlist with a position; a second signup is a conflict that says so', async () => {
    const activity = await newActivity({ maxParticipants: 1 });
    const [a, b] = [await createTestStudentCaller(orm), await createTestStudentCaller(orm)];
    expect(await a.caller.signups.join({ activityId: activity.id })).toMatchObject({
      status: 'enrolled',
      waitlistPosition: null,
    });
    expect(await b.caller.signups.join({ activityId: activity.id })).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    await expect(a.caller.signups.join({ activityId: activity.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `You are already signed up for ${activity.name}`,
    });
    expect(await b.caller.signups.mine()).toEqual([
      expect.objectContaining({
        activity: expect.objectContaining({ id: activity.id }),
        status: 'waitlisted',
        waitlistPosition: 1,
      }),
    ]);
    expect(await a.caller.signups.leave({ activityId: activity.id })).toEqual({
      promotedStudentId: b.user.id,
    });
    expect((await b.caller.signups.mine())[0]).toMatchObject({ status: 'enrolled', waitlistPosition: null });
  });

  it('warn about the student’s other activities at overlapping times', async () => {
    const chess = await newActivity({
      name: `Chess ${counter}`,
      scheduleDays: ['monday', 'friday'],
      startTime: '15:00',
      endTime: '16:30',
    });
    const debate = await newActivity({
      name: `Debate ${counter}`,
      scheduleDays: ['friday'],
      startTime: '16:00',
      endTime: '17:00',
    });
    const art = await newActivity({
      name: `Art ${counter}`,
      scheduleDays: ['friday'],
      startTime: '16:30',
      endTime: '17:30',
    });
    const s = await createTestStudentCaller(orm);
    expect((await s.caller.signups.join({ activityId: chess.id })).overlaps).toEqual([]);
    expect((await s.caller.signups.join({ activityId: art.id })).overlaps).toEqual([]);
    const { overlaps } = await s.caller.signups.join({ activityId: debate.id });
    expect(overlaps.map((o) => o.id).sort()).toEqual([chess.id, art.id].sort());
    // Said from the days and times (the contract's scheduleText), as the cards say them.
    expect(overlaps.find((o) => o.id === chess.id)?.schedule).toBe('Mondays and Fridays, 3:00 PM - 4:30 PM');
    const mine = await s.caller.signups.mine();
    expect(mine.find((signup) => signup.activity.id === art.id)?.activity.schedule).toBe(
      'Fridays, 4:30 PM - 5:30 PM',
    );
  });

  it('honour the grades an activity takes', async () => {
    const seniors = await newActivity({ allowedGrades: [11, 12] });
    const ninth = await createTestStudentCaller(orm, { grade: 9 });
    await expect(ninth.caller.signups.join({ activityId: seniors.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('open to grades 11, 12 only'),
    });
  });

  it('tell a teacher or an admin who they are signed in as: only students sign up', async () => {
    const activity = await newActivity();
    await expect(teacher.signups.join({ activityId: activity.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You are signed in as a teacher; only students may do this',
    });
    const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
    await expect(admin.signups.join({ activityId: activity.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You are signed in as an admin; only students may do this',
    });
  });

  it('name a missing activity', async () => {
    const s = await createTestStudentCaller(orm);
    await expect(s.caller.signups.join({ activityId: 999_999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'activity 999999 was not found',
    });
  });
});
