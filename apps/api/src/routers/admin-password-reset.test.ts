import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);

/** students.update and teachers.update with a new password. */
describe('an admin’s password reset', () => {
  it('ends every session of the student or teacher, and leaves others’ alone', async () => {
    const student = await createTestStudent(orm);
    const staff = await createTestTeacher(orm);
    const bystander = await createTestStudent(orm);
    await admin.students.update({ id: student.user.id, password: 'reset by admin 1' });
    await admin.teachers.update({ id: staff.user.id, password: 'reset by admin 2' });
    for (const { token } of [student, staff]) {
      await expect(callerFor(orm, token).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await callerFor(orm, bystander.token).auth.me()).toMatchObject({ id: bystander.user.id });
  });

  it('without a new password keeps the sessions', async () => {
    const student = await createTestStudent(orm);
    await admin.students.update({ id: student.user.id, name: 'Renamed' });
    expect(await callerFor(orm, student.token).auth.me()).toMatchObject({ id: student.user.id });
  });
});
