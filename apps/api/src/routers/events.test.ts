import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const judge = await createTestTeacher(orm);
const teacher = callerFor(orm, judge.token);
const anonymous = callerFor(orm);
let n = 0;
const newActivity = () => teacher.activities.create({ name: `Robotics ${++n}`, maxParticipants: 10 });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

describe('events', () => {
  it('keep their prizes in order and their judges, teachers or outside names', async () => {
    const activity = await newActivity();
    const event = await teacher.events.create({
      activityId: activity.id,
      name: 'Spring Challenge',
      date: inDays(10),
      venue: 'Gym',
      prizes: [
        { place: 1, description: 'Gold', amountCents: 10_000 },
        { place: 2, description: 'Silver' },
      ],
      judges: [{ teacherId: judge.user.id }, { name: 'Dr. Ada Lovelace' }],
    });
    expect(await anonymous.events.get({ id: event.id })).toMatchObject({
      activity: { id: activity.id },
      prizes: [
        { place: 1, description: 'Gold', amountCents: 10_000 },
        { place: 2, description: 'Silver' },
      ],
      judges: [
        { teacherId: judge.user.id, name: judge.user.name },
        { teacherId: null, name: 'Dr. Ada Lovelace' },
      ],
      results: [],
      past: false,
    });
    const updated = await teacher.events.update({ id: event.id, judges: [{ name: 'Prof. Turing' }] });
    expect(updated.judges).toEqual([{ teacherId: null, name: 'Prof. Turing' }]);
  });

  it('refuse an unknown teacher as judge and a place named twice', async () => {
    const activity = await newActivity();
    await expect(
      teacher.events.create({
        activityId: activity.id,
        name: 'X',
        date: inDays(1),
        judges: [{ teacherId: 999_999 }],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      teacher.events.create({
        activityId: activity.id,
        name: 'X',
        date: inDays(1),
        prizes: [
          { place: 1, description: 'A' },
          { place: 1, description: 'B' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('are listed by activity, upcoming first (soonest first), then past ones (latest first)', async () => {
    const activity = await newActivity();
    for (const [name, days] of [
      ['Past long ago', -30],
      ['Later', 20],
      ['Past recently', -2],
      ['Soon', 3],
    ] as const) {
      await teacher.events.create({ activityId: activity.id, name, date: inDays(days) });
    }
    const names = async (when?: 'upcoming' | 'past') =>
      (await anonymous.events.list({ activityId: activity.id, ...(when ? { when } : {}) })).items.map(
        (e) => e.name,
      );
    expect(await names()).toEqual(['Soon', 'Later', 'Past recently', 'Past long ago']);
    expect(await names('upcoming')).toEqual(['Soon', 'Later']);
    expect(await names('past')).toEqual(['Past recently', 'Past long ago']);
  });

  it('record who won which place: enrolled students or groups of the activity, replacing earlier results', async () => {
    const activity = await newActivity();
    const [winner, outsider, leader] = [
      await createTestStudent(orm),
      await createTestStudent(orm),
      await createTestStudent(orm),
    ];
    for (const s of [winner, leader])
      await teacher.participants.add({ activityId: activity.id, email: s.user.email });
    const group = await callerFor(orm, leader.token).groups.create({
      activityId: activity.id,
      name: 'Bolts',
    });
    const event = await teacher.events.create({ activityId: activity.id, name: 'Final', date: inDays(-1) });

    await expect(
      teacher.events.recordResults({
        eventId: event.id,
        results: [{ place: 1, studentId: outsider.user.id }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not enrolled') });
    const recorded = await teacher.events.recordResults({
      eventId: event.id,
      results: [
        { place: 2, groupId: group.id },
        { place: 1, studentId: winner.user.id },
      ],
    });
    expect(recorded.results).toEqual([
      { place: 1, studentId: winner.user.id, groupId: null, winner: winner.user.name },
      { place: 2, studentId: null, groupId: group.id, winner: 'Bolts' },
    ]);
    const replaced = await teacher.events.recordResults({
      eventId: event.id,
      results: [{ place: 1, groupId: group.id }],
    });
    expect(replaced.results).toHaveLength(1);
    expect(replaced.past).toBe(true);
  });

  it('refuse one winner for two places, naming the winner and the places', async () => {
    const activity = await newActivity();
    const [ann, leader] = [await createTestStudent(orm), await createTestStudent(orm)];
    for (const s of [ann, leader])
      await teacher.participants.add({ activityId: activity.id, email: s.user.email });
    const group = await callerFor(orm, leader.token).groups.create({
      activityId: activity.id,
      name: 'Gears',
    });
    const event = await teacher.events.create({ activityId: activity.id, name: 'Derby', date: inDays(-1) });
    await teacher.events.recordResults({
      eventId: event.id,
      results: [{ place: 3, studentId: ann.user.id }],
    });

    await expect(
      teacher.events.recordResults({
        eventId: event.id,
        results: [
          { place: 2, studentId: ann.user.id },
          { place: 1, studentId: ann.user.id },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: `${ann.user.name} is chosen for 1st and 2nd place: a winner takes one place only`,
    });
    await expect(
      teacher.events.recordResults({
        eventId: event.id,
        results: [
          { place: 1, groupId: group.id },
          { place: 2, studentId: ann.user.id },
          { place: 3, groupId: group.id },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'the group Gears is chosen for 1st and 3rd place: a winner takes one place only',
    });
    // Refused whole: what was recorded before stands.
    expect((await teacher.events.get({ id: event.id })).results).toMatchObject([
      { place: 3, studentId: ann.user.id },
    ]);
  });
});
