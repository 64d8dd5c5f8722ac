import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);

describe('teachers (admins only)', () => {
  it('are created, listed, changed and deleted', async () => {
    const created = await admin.teachers.create({
      email: 'ms.lane@mergington.edu',
      username: 'MsLane',
      name: 'Ms. Lane',
      role: 'teacher',
      password: 'lane password',
    });
    expect(created).toMatchObject({ username: 'mslane', role: 'teacher' });
    expect((await admin.teachers.list({ search: 'lane' })).items).toHaveLength(1);
    expect(await admin.teachers.update({ id: created.id, role: 'admin' })).toMatchObject({ role: 'admin' });
    await callerFor(orm).auth.logIn({ as: 'teacher', login: 'mslane', password: 'lane password' });
    await admin.teachers.delete({ id: created.id });
    await expect(admin.teachers.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keep at least one admin', async () => {
    const { items } = await admin.teachers.list({ role: 'admin' });
    expect(items).toHaveLength(1);
    await expect(admin.teachers.update({ id: items[0]!.id, role: 'teacher' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'cannot demote the last admin',
    });
    await expect(admin.teachers.delete({ id: items[0]!.id })).rejects.toMatchObject({
      message: 'cannot delete the last admin',
    });
  });
});

describe('teachers by name', () => {
  it('are named, every one of them, to any teacher who picks judges: names only', async () => {
    const colleague = await createTestTeacher(orm);
    const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
    const names = await teacher.teachers.names();
    expect(names).toContainEqual({ id: colleague.user.id, name: colleague.user.name });
    expect(names).toHaveLength((await admin.teachers.list({})).total);
    expect(names.every((entry) => Object.keys(entry).join() === 'id,name')).toBe(true);
    await expect(teacher.teachers.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
