import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher, type TestUser } from '../testing.ts';

const { orm } = await useTestDatabase();
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
const anonymous = callerFor(orm);
const as = (user: TestUser) => callerFor(orm, user.token);
let n = 0;

async function activityWith(count: number) {
  const activity = await teacher.activities.create({ name: `Drama ${++n}`, maxParticipants: count });
  const students = await Promise.all(Array.from({ length: count }, () => createTestStudent(orm)));
  for (const s of students) await teacher.participants.add({ activityId: activity.id, email: s.user.email });
  return { activity, students };
}

describe('feedback', () => {
  it('comes from enrolled students, once per activity: a second submission replaces the first', async () => {
    const { activity, students } = await activityWith(1);
    const student = students[0]!;
    await as(student).feedback.submit({ activityId: activity.id, rating: 3, review: 'ok' });
    const replaced = await as(student).feedback.submit({
      activityId: activity.id,
      rating: 5,
      review: 'great after all',
    });
    expect(replaced).toMatchObject({ rating: 5, review: 'great after all' });
    expect(await as(student).feedback.mine()).toHaveLength(1);
    const waiting = await createTestStudent(orm);
    await as(waiting).signups.join({ activityId: activity.id });
    await expect(as(waiting).feedback.submit({ activityId: activity.id, rating: 1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'only students enrolled in an activity can rate it',
    });
    await expect(as(student).feedback.submit({ activityId: activity.id, rating: 6 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await as(student).feedback.delete({ activityId: activity.id });
    expect(await as(student).feedback.mine()).toEqual([]);
  });

  it('shows averages, counts and the distribution; a hidden review is kept, not shown and not counted', async () => {
    const { activity, students } = await activityWith(4);
    const ratings = [5, 4, 4, 1];
    const submitted: { id: number }[] = [];
    for (const [index, s] of students.entries()) {
      submitted.push(
        await as(s).feedback.submit({
          activityId: activity.id,
          rating: ratings[index]!,
          review: index === 3 ? 'abusive words' : 'fine',
        }),
      );
    }
    expect(await anonymous.activities.get({ id: activity.id })).toMatchObject({
      averageRating: 3.5,
      ratingCount: 4,
    });

    await teacher.feedback.setHidden({ id: submitted[3]!.id, hidden: true });
    expect(await anonymous.feedback.distribution({ activityId: activity.id })).toEqual({
      activityId: activity.id,
      counts: { 1: 0, 2: 0, 3: 0, 4: 2, 5: 1 },
      count: 3,
      average: 4.33,
    });
    expect(await anonymous.activities.get({ id: activity.id })).toMatchObject({
      averageRating: 4.33,
      ratingCount: 3,
    });
    const publicReviews = await anonymous.feedback.forActivity({ activityId: activity.id });
    expect(publicReviews.items.map((f) => f.review)).not.toContain('abusive words');
    const all = await teacher.feedback.list({ activityId: activity.id });
    expect(all.items.find((f) => f.id === submitted[3]!.id)).toMatchObject({
      hidden: true,
      review: 'abusive words',
    });
    expect((await teacher.feedback.list({ activityId: activity.id, hidden: true })).total).toBe(1);
  });
});
