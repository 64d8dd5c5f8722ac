import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { appRouter } from './router.ts';
import { callerFor, createTestStudent, createTestTeacher, studentDataIn, type TestUser } from './testing.ts';

// Students are minors: a visitor who is not signed in sees them as "Emma O." and never by id, email or
// grade; signed-in members of the school see what they need (ids for the teachers' and leaders' tools).
const { orm } = await useTestDatabase();
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const visitor = callerFor(orm);

const emma = await createTestStudent(orm, { name: 'Emma Okonkwo-Brightwater', grade: 11 });
const zoe = await createTestStudent(orm, { name: 'Zoë Ångström', grade: 9 });
const mary = await createTestStudent(orm, { name: 'Mary Ann Quistgaard', grade: 12 });
const students = [emma, zoe, mary].map((student) => student.user);
const as = (student: TestUser) => callerFor(orm, student.token);

const activity = await admin.activities.create({ name: 'Robotics', maxParticipants: 10 });
for (const student of students)
  await admin.participants.add({ activityId: activity.id, email: student.email });
const group = await as(emma).groups.create({ activityId: activity.id, name: 'Comets' });
await as(zoe).groups.join({ groupId: group.id });
await as(emma).feedback.submit({ activityId: activity.id, rating: 5, review: 'Great club' });
await as(mary).feedback.submit({ activityId: activity.id, rating: 4 });
const committee = await admin.committees.create({ name: 'Student council' });
await admin.positions.assign({
  committeeId: committee.id,
  studentId: mary.user.id,
  positionName: 'President',
  termStart: '2025-09-01',
});
await admin.positions.assign({
  committeeId: committee.id,
  studentId: zoe.user.id,
  positionName: 'Secretary',
  termStart: '2020-09-01',
  termEnd: '2021-09-01',
});
const event = await admin.events.create({
  activityId: activity.id,
  name: 'Regional final',
  date: new Date('2025-05-01T15:00:00Z'),
  prizes: [{ place: 1, description: 'Cup' }],
});
await admin.events.recordResults({
  eventId: event.id,
  results: [
    { place: 1, studentId: mary.user.id },
    { place: 2, groupId: group.id },
  ],
});
const news = await admin.news.create({
  title: 'Robotics wins',
  content: 'Well done',
  activityId: activity.id,
});

const round = await admin.rounds.create({
  name: 'Fall clubs',
  mode: 'first_come',
  opensAt: '2025-09-01T08:00',
  closesAt: '2025-09-08T08:00',
  activities: [{ activityId: activity.id }],
});

/** Every read a visitor may make, with an input that reaches the students above. */
const VISITOR_READS: Record<string, unknown> = {
  'auth.session': undefined,
  'auth.passwordResetByEmail': undefined,
  'activities.list': {},
  'activities.categories': undefined,
  'activities.get': { id: activity.id },
  'committees.list': {},
  'committees.get': { id: committee.id },
  'positions.current': {},
  'positions.history': { committeeId: committee.id, positionName: 'Secretary' },
  'events.list': {},
  'events.get': { id: event.id },
  'groups.list': { activityId: activity.id },
  'groups.get': { id: group.id },
  'news.list': {},
  'news.get': { id: news.id },
  'news.trending': {},
  'feedback.forActivity': { activityId: activity.id },
  'feedback.distribution': { activityId: activity.id },
  'rounds.list': undefined,
  'rounds.get': { roundId: round.id },
};
/** Writes a visitor may make, whose answer is the caller's own new account or session. */
const VISITOR_WRITES = ['auth.register', 'auth.logIn', 'auth.requestPasswordReset', 'auth.resetPassword'];

function procedureOf(caller: ReturnType<typeof callerFor>, path: string) {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input: unknown,
  ) => Promise<unknown>;
}

describe('what a visitor who is not signed in sees of students', () => {
  it('lists every procedure a visitor may call; every other one refuses them', async () => {
    const others = Object.keys(appRouter._def.procedures).filter(
      (path) => !(path in VISITOR_READS) && !VISITOR_WRITES.includes(path),
    );
    for (const path of others) {
      const outcome = await procedureOf(
        visitor,
        path,
      )(undefined).then(
        () => 'ok',
        (error: { code?: string }) => error.code,
      );
      expect(`${path}: ${outcome}`).toBe(`${path}: UNAUTHORIZED`);
    }
  });

  it('no answer carries a student id, email, grade or surname', async () => {
    const leaks: Record<string, string[]> = {};
    for (const [path, input] of Object.entries(VISITOR_READS)) {
      const found = studentDataIn(await procedureOf(visitor, path)(input), students);
      if (found.length > 0) leaks[path] = found;
    }
    expect(leaks).toEqual({});
  });

  it('shows first names and last initials where the students are named', async () => {
    const shown = await visitor.groups.get({ id: group.id });
    expect(shown.leader).toEqual({ name: 'Emma O.' });
    expect(shown.members).toEqual([
      { name: 'Emma O.', role: 'leader' },
      { name: 'Zoë Å.', role: 'member' },
    ]);
    expect((await visitor.events.get({ id: event.id })).results).toEqual([
      { place: 1, groupId: null, winner: 'Mary Q.' },
      { place: 2, groupId: group.id, winner: 'Comets' },
    ]);
    expect(
      (await visitor.feedback.forActivity({ activityId: activity.id })).items.map((review) => review.student),
    ).toEqual(expect.arrayContaining([{ name: 'Emma O.' }, { name: 'Mary Q.' }]));
    expect(await visitor.positions.current({ committeeId: committee.id })).toMatchObject([
      { positionName: 'President', student: { name: 'Mary Q.' } },
    ]);
    expect(
      await visitor.positions.history({ committeeId: committee.id, positionName: 'Secretary' }),
    ).toMatchObject([{ student: { name: 'Zoë Å.' } }]);
  });

  it('an unknown or expired token is a visitor too', async () => {
    const stranger = callerFor(orm, 'no-such-session-token');
    expect(studentDataIn(await stranger.groups.get({ id: group.id }), students)).toEqual([]);
  });

  it('signed-in teachers and students get the ids and names their tools need', async () => {
    const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
    for (const member of [teacher, as(emma)]) {
      expect(await member.groups.get({ id: group.id })).toMatchObject({
        leader: { id: emma.user.id, name: 'Emma Okonkwo-Brightwater' },
        members: [
          { studentId: emma.user.id, name: 'Emma Okonkwo-Brightwater', role: 'leader' },
          { studentId: zoe.user.id, name: 'Zoë Ångström', role: 'member' },
        ],
      });
    }
    expect((await teacher.events.get({ id: event.id })).results).toEqual([
      { place: 1, studentId: mary.user.id, groupId: null, winner: 'Mary Ann Quistgaard' },
      { place: 2, studentId: null, groupId: group.id, winner: 'Comets' },
    ]);
    expect(await teacher.positions.current({ committeeId: committee.id })).toMatchObject([
      { student: { id: mary.user.id, name: 'Mary Ann Quistgaard' } },
    ]);
    expect((await teacher.feedback.forActivity({ activityId: activity.id })).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ student: { id: emma.user.id, name: 'Emma Okonkwo-Brightwater' } }),
      ]),
    );
  });
});
