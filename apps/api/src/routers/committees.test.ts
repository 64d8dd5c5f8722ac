import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
const anonymous = callerFor(orm);

let n = 0;
const newCommittee = () =>
  teacher.committees.create({ name: `Council ${++n}`, description: 'Students who lead' });

describe('committees', () => {
  it('are created, listed, renamed and deleted by teachers; names are unique', async () => {
    const council = await newCommittee();
    expect((await anonymous.committees.list({ search: council.name })).items).toEqual([council]);
    await expect(teacher.committees.create({ name: council.name })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await teacher.committees.update({ id: council.id, name: `${council.name} (renamed)` }),
    ).toMatchObject({
      name: `${council.name} (renamed)`,
    });
    await teacher.committees.delete({ id: council.id });
    await expect(anonymous.committees.get({ id: council.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
