import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
const { caller: student } = await createTestStudentCaller(orm);

let n = 0;
const newActivity = (term: { termStartsOn: string | null; termEndsOn: string | null }) =>
  teacher.activities.create({
    name: `Chess ${++n}`,
    maxParticipants: 10,
    scheduleDays: ['monday', 'wednesday'],
    startTime: '15:30',
    endTime: '16:30',
    ...term,
  });

describe('meetings over the API', () => {
  it('an activity keeps its term; a closure an admin adds and a teacher cancellation show in what students list', async () => {
    const activity = await newActivity({ termStartsOn: '2026-11-02', termEndsOn: '2026-11-11' });
    expect(activity).toMatchObject({ termStartsOn: '2026-11-02', termEndsOn: '2026-11-11' });
    const closure = await admin.closures.create({ startsOn: '2026-11-11', reason: 'Veterans Day' });
    expect(closure).toMatchObject({ startsOn: '2026-11-11', endsOn: '2026-11-11', reason: 'Veterans Day' });
    await teacher.meetings.cancel({ meeting: { activityId: activity.id, scheduledOn: '2026-11-04' } });
    const listed = await student.meetings.list({
      activityId: activity.id,
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(listed.map((m) => [m.date, m.cancelled])).toEqual([
      ['2026-11-02', false],
      ['2026-11-04', true],
      ['2026-11-09', false],
    ]);
    await admin.closures.delete({ id: closure.id });
  });

  it('refuses half a term, a backwards range, a day the activity does not meet and a meeting that ends first', async () => {
    await expect(newActivity({ termStartsOn: '2026-11-02', termEndsOn: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const activity = await newActivity({ termStartsOn: '2026-11-02', termEndsOn: '2026-11-11' });
    await expect(
      student.meetings.list({ activityId: activity.id, from: '2026-11-30', to: '2026-11-01' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      teacher.meetings.cancel({ meeting: { activityId: activity.id, scheduledOn: '2026-11-03' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      teacher.meetings.add({
        activityId: activity.id,
        date: '2026-11-05',
        startTime: '16:00',
        endTime: '15:00',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
