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

  it('gives a temporary password: signed in with it, the user may only change it, then everything again', async () => {
    const student = await createTestStudent(orm);
    const staff = await createTestTeacher(orm);
    await admin.students.update({ id: student.user.id, password: 'temporary 1' });
    await admin.teachers.update({ id: staff.user.id, password: 'temporary 2' });
    const cases = [
      { as: 'student' as const, login: student.user.email, password: 'temporary 1' },
      { as: 'teacher' as const, login: staff.user.email, password: 'temporary 2' },
    ];
    for (const { as, login, password } of cases) {
      const { token, user } = await callerFor(orm).auth.logIn({ as, login, password });
      expect(user.mustChangePassword).toBe(true);
      const caller = callerFor(orm, token!);
      expect(await caller.auth.me()).toMatchObject({ mustChangePassword: true });
      const anyOther = () => (as === 'student' ? caller.signups.mine() : caller.students.list({}));
      await expect(anyOther()).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('choose a new one first'),
      });
      if (as === 'student') {
        // signups.join checks the session in its own statement, not through the procedure's lookup.
        const [activity] = await orm.em
          .fork()
          .getConnection()
          .execute<{ id: number }[]>(
            `insert into activity (name, max_participants) values ('Reset test', 5) returning id`,
          );
        await expect(caller.signups.join({ activityId: activity!.id })).rejects.toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringContaining('choose a new one first'),
        });
      }
      await caller.auth.changePassword({ currentPassword: password, newPassword: `${as}'s own password` });
      expect(await caller.auth.me()).toMatchObject({ mustChangePassword: false });
      await expect(anyOther()).resolves.toBeDefined();
    }
  });

  it('without a new password keeps the sessions', async () => {
    const student = await createTestStudent(orm);
    await admin.students.update({ id: student.user.id, name: 'Renamed' });
    expect(await callerFor(orm, student.token).auth.me()).toMatchObject({ id: student.user.id });
  });
});
