import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const anonymous = callerFor(orm);
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
const sql = (text: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(text, params);

let counter = 0;
async function newActivity(fields: Partial<Parameters<typeof teacher.activities.create>[0]> = {}) {
  return teacher.activities.create({ name: `Activity ${++counter}`, maxParticipants: 2, ...fields });
}

describe('activities', () => {
  it('are created by teachers with a structured schedule, and read by anyone', async () => {
    const created = await newActivity({
      name: 'Astronomy Club',
      description: 'Stars and telescopes',
      schedule: 'Wednesdays, 7:00 PM - 9:00 PM',
      scheduleDays: ['wednesday'],
      startTime: '19:00',
      endTime: '21:00',
      category: 'Science',
      maxParticipants: 12,
    });
    expect(created).toMatchObject({
      name: 'Astronomy Club',
      spotsLeft: 12,
      version: 1,
      averageRating: null,
      ratingCount: 0,
    });
    expect(await anonymous.activities.get({ id: created.id })).toEqual(created);
  });

  it('refuse a schedule given in part, an end before the start, and a duplicate name', async () => {
    const issues = async (promise: Promise<unknown>) => {
      const error = (await promise.catch((caught: unknown) => caught)) as {
        code: string;
        cause: { issues: { path: string[]; message: string }[] };
      };
      expect(error.code).toBe('BAD_REQUEST');
      return error.cause.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(await issues(newActivity({ scheduleDays: ['monday'] }))).toEqual([
      'scheduleDays: give days, start and end time together, or none',
    ]);
    expect(
      await issues(newActivity({ scheduleDays: ['monday'], startTime: '16:00', endTime: '15:00' })),
    ).toEqual(['endTime: must be after the start time']);
    await newActivity({ name: 'Unique Club' });
    await expect(newActivity({ name: 'Unique Club' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Unique Club'),
    });
  });

  it('filter by day, time window, category, free text and free seats, a page at a time', async () => {
    const tag = `Filter${Date.now()}`;
    const morning = await newActivity({
      name: `${tag} Morning Run`,
      category: tag,
      scheduleDays: ['monday'],
      startTime: '07:00',
      endTime: '08:00',
    });
    const evening = await newActivity({
      name: `${tag} Evening Choir`,
      description: 'We sing 100% of the time',
      category: tag,
      scheduleDays: ['tuesday'],
      startTime: '18:00',
      endTime: '19:00',
      maxParticipants: 1,
    });
    const a = await createTestStudentCaller(orm);
    await a.caller.signups.join({ activityId: evening.id });

    const names = async (filter: object) =>
      (await anonymous.activities.list({ category: tag, ...filter })).items.map((item) => item.name);
    expect(await names({})).toEqual([evening.name, morning.name]);
    expect(await names({ day: 'monday' })).toEqual([morning.name]);
    expect(await names({ from: '17:00' })).toEqual([evening.name]);
    expect(await names({ to: '09:00' })).toEqual([morning.name]);
    expect(await names({ search: 'choir' })).toEqual([evening.name]);
    expect(await names({ search: '100%' })).toEqual([evening.name]);
    expect(await names({ search: '%' })).toEqual([evening.name]);
    expect(await names({ hasSeats: true })).toEqual([morning.name]);
    expect(await names({ timeOfDay: 'before-school' })).toEqual([morning.name]);
    expect(await names({ timeOfDay: 'after-school' })).toEqual([evening.name]);
    expect(await names({ timeOfDay: 'weekend' })).toEqual([]);
    expect(await anonymous.activities.categories()).toContain(tag);
    const page = await anonymous.activities.list({ category: tag, pageSize: 1, page: 2 });
    expect(page).toMatchObject({ total: 2, page: 2, pageSize: 1, items: [{ name: morning.name }] });
    await expect(anonymous.activities.list({ pageSize: 501 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('show the average rating of their feedback', async () => {
    const activity = await newActivity();
    const [x, y] = [await createTestStudentCaller(orm), await createTestStudentCaller(orm)];
    await sql(`insert into feedback (student_id, activity_id, rating) values (?, ?, 5), (?, ?, 4)`, [
      x.user.id,
      activity.id,
      y.user.id,
      activity.id,
    ]);
    expect(await anonymous.activities.get({ id: activity.id })).toMatchObject({
      averageRating: 4.5,
      ratingCount: 2,
    });
  });

  it('refuse an update made against a stale version', async () => {
    const activity = await newActivity();
    const updated = await teacher.activities.update({
      id: activity.id,
      version: activity.version,
      description: 'New',
    });
    expect(updated).toMatchObject({ description: 'New', version: activity.version + 1 });
    await expect(
      teacher.activities.update({ id: activity.id, version: activity.version, description: 'Lost' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('changed by someone else'),
    });
  });

  it('admit the waitlist in order when capacity is raised, and admit no one new after it is lowered', async () => {
    const activity = await newActivity({ maxParticipants: 1 });
    const students = [
      await createTestStudentCaller(orm),
      await createTestStudentCaller(orm),
      await createTestStudentCaller(orm),
      await createTestStudentCaller(orm),
    ];
    for (const s of students) await s.caller.signups.join({ activityId: activity.id });
    const raised = await teacher.activities.update({ id: activity.id, version: 1, maxParticipants: 3 });
    expect(raised).toMatchObject({ enrolledCount: 3, waitlistCount: 1 });
    const statuses = await Promise.all(students.map(async (s) => (await s.caller.signups.mine())[0]!.status));
    expect(statuses).toEqual(['enrolled', 'enrolled', 'enrolled', 'waitlisted']);

    const lowered = await teacher.activities.update({
      id: activity.id,
      version: raised.version,
      maxParticipants: 1,
    });
    expect(lowered).toMatchObject({ enrolledCount: 3, spotsLeft: 0 });
    await students[0]!.caller.signups.leave({ activityId: activity.id });
    expect((await students[3]!.caller.signups.mine())[0]).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
  });

  it('can be deleted, unless payments refer to them', async () => {
    const free = await newActivity();
    await teacher.activities.delete({ id: free.id });
    await expect(anonymous.activities.get({ id: free.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `activity ${free.id} was not found`,
    });

    const paid = await newActivity();
    const s = await createTestStudentCaller(orm);
    await sql(`insert into payment (student_id, activity_id, amount_cents) values (?, ?, 2500)`, [
      s.user.id,
      paid.id,
    ]);
    await expect(teacher.activities.delete({ id: paid.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'the activity has payments on record: correct or move them first',
    });
  });
});
