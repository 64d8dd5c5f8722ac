import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);

let counter = 0;
const newActivity = () => admin.activities.create({ name: `Round club ${++counter}`, maxParticipants: 5 });
const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(text, params);

describe('signup rounds over the API', () => {
  it("reads and writes a round's times as the school's wall clock (America/New_York by default)", async () => {
    const activity = await newActivity();
    const round = await admin.rounds.create({
      name: `Fall ${++counter}`,
      mode: 'first_come',
      opensAt: '2027-09-01T08:00',
      closesAt: '2027-12-01T08:00',
      maxPerStudent: 2,
      termStart: '2027-09-06',
      termEnd: '2027-12-17',
      activities: [{ activityId: activity.id, minParticipants: 3 }],
    });
    // 08:00 EDT is 12:00 UTC; 08:00 EST (after the clocks change) is 13:00 UTC.
    expect(round).toMatchObject({
      opensAt: new Date('2027-09-01T12:00:00Z'),
      closesAt: new Date('2027-12-01T13:00:00Z'),
      opensAtLocal: '2027-09-01T08:00',
      timeZone: 'America/New_York',
      phase: 'upcoming',
      termStart: '2027-09-06',
      activities: [
        expect.objectContaining({ activityId: activity.id, minParticipants: 3, cancelled: false }),
      ],
    });
    const updated = await admin.rounds.update({
      id: round.id,
      version: round.version,
      closesAt: '2027-09-02T17:30',
    });
    expect(updated.closesAt).toEqual(new Date('2027-09-02T21:30:00Z'));
    await expect(
      admin.rounds.update({ id: round.id, version: round.version, name: 'Stale' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      admin.rounds.create({
        name: 'Backwards',
        mode: 'lottery',
        opensAt: '2027-09-02T08:00',
        closesAt: '2027-09-01T08:00',
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('must be after the opening time'),
    });
    // An activity is in one round at most.
    await expect(
      admin.rounds.create({
        name: `Other ${++counter}`,
        mode: 'first_come',
        opensAt: '2027-09-01T08:00',
        closesAt: '2027-09-02T08:00',
        activities: [{ activityId: activity.id }],
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('is already in the round Fall'),
    });
  });

  it('refuses a student before the opening, saying when; a teacher adds with the limits shown and a stated reason', async () => {
    const [first, second] = [await newActivity(), await newActivity()];
    await admin.rounds.create({
      name: `Spring ${++counter}`,
      mode: 'first_come',
      opensAt: '2030-01-07T08:00',
      closesAt: '2030-01-14T08:00',
      maxPerStudent: 1,
      activities: [{ activityId: first.id }, { activityId: second.id }],
    });
    const student = await createTestStudentCaller(orm);
    await expect(student.caller.signups.join({ activityId: first.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: `signups for Spring ${counter} open at Mon 7 Jan 2030, 08:00 (America/New_York)`,
    });
    await teacher.participants.add({ activityId: first.id, email: student.user.email });
    await expect(
      teacher.participants.add({ activityId: second.id, email: student.user.email }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('at most 1 activity of Spring'),
    });
    expect(
      await teacher.participants.add({
        activityId: second.id,
        email: student.user.email,
        overrideReason: 'IEP',
      }),
    ).toMatchObject({ status: 'enrolled' });
    expect(await sql(`select reason from round_override where student_id = ?`, [student.user.id])).toEqual([
      { reason: 'IEP' },
    ]);
  });
});
