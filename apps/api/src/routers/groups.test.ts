import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher, type TestUser } from '../testing.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
let n = 0;
const as = (user: TestUser) => callerFor(orm, user.token);

async function activityWith(
  count: number,
  fields: { maxParticipants?: number; minGroupSize?: number; maxGroupSize?: number } = {},
) {
  const activity = await teacher.activities.create({
    name: `Project ${++n}`,
    maxParticipants: fields.maxParticipants ?? 50,
    ...fields,
  });
  const students = await Promise.all(Array.from({ length: count }, () => createTestStudent(orm)));
  for (const s of students) await teacher.participants.add({ activityId: activity.id, email: s.user.email });
  return { activity, students };
}

describe('groups', () => {
  it('are formed by an enrolled student, who leads; others join; one group per activity per student', async () => {
    const { activity, students } = await activityWith(3, { minGroupSize: 2 });
    const [lead, second, third] = students as [TestUser, TestUser, TestUser];
    const group = await as(lead).groups.create({ activityId: activity.id, name: 'Alpha' });
    expect(group).toMatchObject({ leader: { id: lead.user.id }, size: 1, meetsMinimum: false });
    expect(await as(second).groups.join({ groupId: group.id })).toMatchObject({
      size: 2,
      meetsMinimum: true,
    });
    await as(third).groups.create({ activityId: activity.id, name: 'Beta' });
    await expect(as(third).groups.join({ groupId: group.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'already in the group Beta of this activity',
    });
    await expect(as(second).groups.create({ activityId: activity.id, name: 'Alpha' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('are closed to students not enrolled, waitlisted ones included', async () => {
    const { activity, students } = await activityWith(1, { maxParticipants: 1 });
    const waiting = await createTestStudent(orm);
    await as(waiting).signups.join({ activityId: activity.id });
    const group = await as(students[0]!).groups.create({ activityId: activity.id, name: 'Solo' });
    await expect(as(waiting).groups.join({ groupId: group.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'only students enrolled in the activity can be in its groups',
    });
    const stranger = await createTestStudent(orm);
    await expect(as(stranger).groups.create({ activityId: activity.id, name: 'Nope' })).rejects.toMatchObject(
      { code: 'BAD_REQUEST' },
    );
  });

  it('take no more than the maximum size, even when many join at once', async () => {
    const { activity, students } = await activityWith(10, { maxGroupSize: 3 });
    const group = await as(students[0]!).groups.create({ activityId: activity.id, name: 'Trio' });
    const outcomes = await Promise.allSettled(
      students.slice(1).map((s) => as(s).groups.join({ groupId: group.id })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect((await teacher.groups.get({ id: group.id })).size).toBe(3);
  });

  it('are led by one leader, who hands over or removes members; other students may not, teachers may', async () => {
    const { activity, students } = await activityWith(3);
    const [lead, second, third] = students as [TestUser, TestUser, TestUser];
    const group = await as(lead).groups.create({ activityId: activity.id, name: 'Gamma' });
    for (const s of [second, third]) await as(s).groups.join({ groupId: group.id });
    await expect(
      as(second).groups.removeMember({ groupId: group.id, studentId: third.user.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      as(lead).groups.removeMember({ groupId: group.id, studentId: lead.user.id }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const handed = await as(lead).groups.transferLeadership({ groupId: group.id, studentId: second.user.id });
    expect(handed.leader).toEqual({ id: second.user.id, name: second.user.name });
    expect(handed.members.filter((m) => m.role === 'leader').map((m) => m.studentId)).toEqual([
      second.user.id,
    ]);
    expect(await teacher.groups.removeMember({ groupId: group.id, studentId: third.user.id })).toMatchObject({
      size: 2,
    });
    expect(await teacher.groups.rename({ groupId: group.id, name: 'Gamma Prime' })).toMatchObject({
      name: 'Gamma Prime',
    });
  });

  it('pass to the longest-standing member when the leader leaves, and close when the last one does', async () => {
    const { activity, students } = await activityWith(3);
    const [lead, second, third] = students as [TestUser, TestUser, TestUser];
    const group = await as(lead).groups.create({ activityId: activity.id, name: 'Delta' });
    await as(second).groups.join({ groupId: group.id });
    await as(third).groups.join({ groupId: group.id });
    expect(await as(lead).groups.leave({ groupId: group.id })).toEqual({ groupClosed: false });
    expect((await teacher.groups.get({ id: group.id })).leader).toMatchObject({ id: second.user.id });
    // Withdrawing from the activity takes a student out of its group too.
    await as(second).signups.leave({ activityId: activity.id });
    expect((await teacher.groups.get({ id: group.id })).leader).toMatchObject({ id: third.user.id });
    expect(await as(third).groups.leave({ groupId: group.id })).toEqual({ groupClosed: true });
    await expect(teacher.groups.get({ id: group.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuse a minimum above the maximum on the activity', async () => {
    await expect(
      teacher.activities.create({
        name: `Sizes ${++n}`,
        maxParticipants: 5,
        minGroupSize: 4,
        maxGroupSize: 3,
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
