import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);

describe('students (admins manage, teachers look up)', () => {
  it('are created, found by grade and free text, changed and deleted', async () => {
    const created = await admin.students.create({
      email: 'Ivy.Chen@mergington.edu',
      name: 'Ivy Chen',
      grade: 9,
    });
    expect(created).toMatchObject({ email: 'ivy.chen@mergington.edu', hasPassword: false });
    await admin.students.create({
      email: 'ivan@mergington.edu',
      name: 'Ivan Petrov',
      grade: 12,
      password: 'ivan password',
    });

    const found = await teacher.students.list({ search: 'iv' });
    expect(found.items.map((s) => s.name)).toEqual(['Ivan Petrov', 'Ivy Chen']);
    expect((await teacher.students.list({ search: 'iv', grade: 9 })).items.map((s) => s.name)).toEqual([
      'Ivy Chen',
    ]);
    expect((await teacher.students.list({ search: 'chen@' })).total).toBe(1);

    const updated = await admin.students.update({ id: created.id, grade: 10, name: 'Ivy M. Chen' });
    expect(updated).toMatchObject({ grade: 10, name: 'Ivy M. Chen' });
    await admin.students.delete({ id: created.id });
    await expect(teacher.students.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('are found among those signed up for an activity, enrolled or waitlisted, to record what they owe', async () => {
    const activity = await teacher.activities.create({ name: 'Rowing', maxParticipants: 1 });
    const [rower, reserve] = [await createTestStudent(orm), await createTestStudent(orm)];
    await createTestStudent(orm);
    for (const student of [rower, reserve])
      await teacher.participants.add({ activityId: activity.id, email: student.user.email });
    const signedUp = await teacher.students.list({ signedUpFor: activity.id });
    expect(signedUp.items.map((s) => s.id).sort((a, b) => a - b)).toEqual(
      [rower.user.id, reserve.user.id].sort((a, b) => a - b),
    );
    expect(
      (await teacher.students.list({ signedUpFor: activity.id, search: rower.user.email })).items,
    ).toMatchObject([{ id: rower.user.id }]);
    const empty = await teacher.activities.create({ name: 'Empty Boat', maxParticipants: 1 });
    expect((await teacher.students.list({ signedUpFor: empty.id })).total).toBe(0);
  });

  it('refuse a duplicate email, naming it', async () => {
    await admin.students.create({ email: 'dup@mergington.edu', name: 'Dup', grade: null });
    await expect(
      admin.students.create({ email: 'DUP@mergington.edu', name: 'Dup 2', grade: null }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('dup@mergington.edu'),
    });
    const other = await admin.students.create({ email: 'other@mergington.edu', name: 'Other', grade: null });
    await expect(admin.students.update({ id: other.id, email: 'dup@mergington.edu' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'a student with this email already exists',
    });
  });

  it('give a deleted student’s seat to the next in line', async () => {
    const activity = await teacher.activities.create({ name: 'One Seat', maxParticipants: 1 });
    const [first, second] = [await createTestStudent(orm), await createTestStudent(orm)];
    await callerFor(orm, first.token).signups.join({ activityId: activity.id });
    await callerFor(orm, second.token).signups.join({ activityId: activity.id });
    await admin.students.delete({ id: first.user.id });
    expect((await callerFor(orm, second.token).signups.mine())[0]).toMatchObject({ status: 'enrolled' });
  });
});
