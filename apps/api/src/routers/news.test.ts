import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const author = await createTestTeacher(orm);
const teacher = callerFor(orm, author.token);
const anonymous = callerFor(orm);
const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(text, params);

describe('news', () => {
  it('is posted by teachers and listed pinned first, then newest; filtered by category and activity', async () => {
    const activity = await teacher.activities.create({ name: 'Chess', maxParticipants: 5 });
    const old = await teacher.news.create({ title: 'Old', content: 'x' });
    const pinned = await teacher.news.create({
      title: 'Pinned',
      content: 'x',
      pinned: true,
      category: 'achievement',
    });
    const fresh = await teacher.news.create({
      title: 'Fresh',
      content: 'x',
      activityId: activity.id,
      category: 'schedule_change',
    });
    await sql(`update news set created_at = now() - interval '1 day' where id = ?`, [old.id]);
    expect((await anonymous.news.list({})).items.map((item) => item.title)).toEqual([
      'Pinned',
      'Fresh',
      'Old',
    ]);
    expect((await anonymous.news.list({ category: 'achievement' })).items.map((item) => item.id)).toEqual([
      pinned.id,
    ]);
    expect((await anonymous.news.list({ activityId: activity.id })).items.map((item) => item.id)).toEqual([
      fresh.id,
    ]);
    expect(fresh).toMatchObject({
      author: { id: author.user.id, name: author.user.name },
      activity: { id: activity.id, name: 'Chess' },
    });
  });

  it('is edited with optimistic locking: a stale version is a conflict', async () => {
    const item = await teacher.news.create({ title: 'Draft', content: 'x' });
    const edited = await teacher.news.update({ id: item.id, version: item.version, title: 'Final' });
    expect(edited).toMatchObject({ title: 'Final', version: item.version + 1 });
    await expect(
      teacher.news.update({ id: item.id, version: item.version, title: 'Lost edit' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('edited by someone else'),
    });
    await teacher.news.delete({ id: item.id });
    await expect(anonymous.news.get({ id: item.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is edited, title and text, by whoever may post news (any teacher, not only its author), not students', async () => {
    const item = await teacher.news.create({ title: 'Bake sale Fridy', content: 'In the hall.' });
    const colleague = callerFor(orm, (await createTestTeacher(orm)).token);
    const student = callerFor(orm, (await createTestStudent(orm)).token);
    const edit = { id: item.id, version: item.version, title: 'Bake sale Friday', content: 'In the gym.' };
    await expect(student.news.update(edit)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await colleague.news.update(edit)).toMatchObject({
      title: 'Bake sale Friday',
      content: 'In the gym.',
      author: { id: author.user.id },
    });
  });

  it('has a trending list: activities by signups in the last 7 days', async () => {
    const [busy, quiet, stale] = await Promise.all(
      ['Busy', 'Quiet', 'Stale'].map((name) =>
        teacher.activities.create({ name: `Trend ${name}`, maxParticipants: 50 }),
      ),
    );
    const students = await Promise.all(Array.from({ length: 5 }, () => createTestStudent(orm)));
    for (const s of students) await teacher.participants.add({ activityId: busy!.id, email: s.user.email });
    await teacher.participants.add({ activityId: quiet!.id, email: students[0]!.user.email });
    for (const s of students) await teacher.participants.add({ activityId: stale!.id, email: s.user.email });
    await sql(
      `update activity_participant set signup_date = now() - interval '8 days' where activity_id = ?`,
      [stale!.id],
    );
    const trending = await anonymous.news.trending({ limit: 3 });
    expect(trending.slice(0, 2)).toEqual([
      { id: busy!.id, name: 'Trend Busy', signups: 5 },
      { id: quiet!.id, name: 'Trend Quiet', signups: 1 },
    ]);
    expect(trending.map((t) => t.id)).not.toContain(stale!.id);
  });
});
