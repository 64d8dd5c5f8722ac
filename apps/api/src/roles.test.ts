import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, requestPasswordReset, schoolDay, schoolTimeZone } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { appRouter } from './router.ts';
import { callerFor, createTestStudent, createTestTeacher, studentDataIn, type TestUser } from './testing.ts';

// The permission table of the README, as a test: every procedure is called as each kind of user, and a
// call that gets through where the table says it must not (or is refused where it must pass) fails. What
// an anonymous caller gets back must not give away the student the call is about (visitors.test.ts
// covers the visitor's view in depth).
const { orm } = await useTestDatabase();
const PASSWORD = 'matrix password';
const passwordHash = await hashPassword(PASSWORD);
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);

type Role = 'anonymous' | 'student' | 'otherStudent' | 'teacher' | 'admin';
const ROLES: Role[] = ['anonymous', 'student', 'otherStudent', 'teacher', 'admin'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_REQUEST';

interface Fixture {
  /** The caller, when signed in. */
  me: TestUser | null;
  /** The student whose things the call is about: the caller as 'student', someone else as 'otherStudent'. */
  owner: TestUser;
}

interface Case {
  allowed: Role[] | 'anyone';
  input: (fixture: Fixture) => Promise<unknown>;
  /** Where another student must not reach the owner's things. */
  otherStudent?: Outcome;
  /** Where an allowed admin's call is refused for another reason (the role check is what is tested). */
  admin?: Outcome;
  /** The answer is the caller's own new account or session, so it may hold their email and id. */
  answersWithOwnAccount?: true;
  /**
   * A mutation: the audit rows ("table action") a call that succeeds leaves, in any order, each naming the
   * caller; a refused call leaves none.
   */
  audits?: string[];
}

let n = 0;
const unique = () => `${Date.now()}-${++n}`;
const newActivity = () => admin.activities.create({ name: `Matrix ${unique()}`, maxParticipants: 5 });
const enroll = (student: TestUser, activityId: number) =>
  admin.participants.add({ activityId, email: student.user.email });
const asUser = (user: TestUser) => callerFor(orm, user.token);
const newCommittee = () => admin.committees.create({ name: `Committee ${unique()}` });
const newGroupLedBy = async (leader: TestUser) => {
  const activity = await newActivity();
  await enroll(leader, activity.id);
  return asUser(leader).groups.create({ activityId: activity.id, name: `Group ${unique()}` });
};
const newGroupWithMember = async (leader: TestUser) => {
  const group = await newGroupLedBy(leader);
  const member = await createTestStudent(orm);
  await enroll(member, group.activity.id);
  await asUser(member).groups.join({ groupId: group.id });
  return { group, member };
};
const newPayment = async (student: TestUser) => {
  const activity = await newActivity();
  await enroll(student, activity.id);
  return admin.payments.create({ studentId: student.user.id, activityId: activity.id, amountCents: 1500 });
};
const newPosition = async (student: TestUser) =>
  admin.positions.assign({
    committeeId: (await newCommittee()).id,
    studentId: student.user.id,
    positionName: 'Secretary',
    termStart: '2026-01-01',
  });
const newEvent = async () =>
  admin.events.create({
    activityId: (await newActivity()).id,
    name: 'Open',
    date: new Date(Date.now() + 86_400_000),
  });
const newEventWonBy = async (student: TestUser) => {
  const event = await newEvent();
  await enroll(student, event.activity.id);
  await admin.events.recordResults({
    eventId: event.id,
    results: [{ place: 1, studentId: student.user.id }],
  });
  return event;
};
/** An activity meeting on Mondays and Wednesdays through the school year 2026-27. */
const newScheduledActivity = () =>
  admin.activities.create({
    name: `Meets ${unique()}`,
    maxParticipants: 5,
    scheduleDays: ['monday', 'wednesday'],
    startTime: '15:30',
    endTime: '16:30',
    termStartsOn: '2026-09-07',
    termEndsOn: '2027-06-18',
  });
/** A meeting of today, all day long (so check-in is open whenever the test runs), with `student` enrolled. */
const newMeetingToday = async (student: TestUser) => {
  const activity = await newActivity();
  await enroll(student, activity.id);
  return admin.meetings.add({
    activityId: activity.id,
    date: schoolDay(new Date(), schoolTimeZone()),
    startTime: '00:00',
    endTime: '23:59',
  });
};
const meetingRefOf = async (student: TestUser) => ({ meetingId: (await newMeetingToday(student)).id! });
const newActivityReviewedBy = async (student: TestUser) => {
  const activity = await newActivity();
  await enroll(student, activity.id);
  await asUser(student).feedback.submit({ activityId: activity.id, rating: 4, review: 'Fun' });
  return activity;
};
const newRound = () =>
  admin.rounds.create({
    name: `Round ${unique()}`,
    mode: 'first_come',
    opensAt: '2027-09-01T08:00',
    closesAt: '2027-09-08T08:00',
  });
const OPEN = { opensAt: '2020-01-01T08:00', closesAt: '2099-01-01T08:00' };
/** An open lottery over one new activity, ranked by the owner. */
const newRankedLottery = async (owner: TestUser) => {
  const activity = await newActivity();
  const round = await admin.rounds.create({
    name: `Lottery ${unique()}`,
    mode: 'lottery',
    ...OPEN,
    activities: [{ activityId: activity.id, minParticipants: 3 }],
  });
  await asUser(owner).rounds.rank({ roundId: round.id, activityIds: [activity.id] });
  return { round, activity };
};
const newPublishedLottery = async (owner: TestUser) => {
  const lottery = await newRankedLottery(owner);
  const preview = await admin.rounds.preview({ roundId: lottery.round.id });
  await admin.rounds.publish({
    roundId: lottery.round.id,
    seed: preview.seed,
    inputDigest: preview.inputDigest,
  });
  return lottery;
};
const STUDENTS: Role[] = ['student', 'otherStudent'];
const STAFF: Role[] = ['teacher', 'admin'];
const ADMIN: Role[] = ['admin'];
const SIGNED_IN: Role[] = [...STUDENTS, ...STAFF];

const MATRIX: Record<string, Case> = {
  'auth.register': {
    allowed: 'anyone',
    input: async () => ({
      email: `reg-${unique()}@mergington.edu`,
      name: 'New',
      grade: 9,
      password: PASSWORD,
    }),
    answersWithOwnAccount: true,
    audits: ['student insert'],
  },
  'auth.logIn': {
    allowed: 'anyone',
    input: async () => {
      const { user } = await createTestStudent(orm, { passwordHash });
      return { as: 'student', login: user.email, password: PASSWORD };
    },
    answersWithOwnAccount: true,
    audits: [],
  },
  'auth.logOut': { allowed: SIGNED_IN, input: async () => undefined, audits: [] },
  'auth.me': { allowed: SIGNED_IN, input: async () => undefined },
  'auth.session': { allowed: 'anyone', input: async () => undefined },
  'auth.changePassword': {
    allowed: SIGNED_IN,
    input: async () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }),
    audits: [],
  },
  'auth.passwordResetByEmail': { allowed: 'anyone', input: async () => undefined },
  'auth.requestPasswordReset': {
    allowed: 'anyone',
    input: async () => ({ email: (await createTestStudent(orm)).user.email, as: 'student' }),
    // The link's hash (password_reset) and its counters are outside the trail; its email's job is pg-boss's.
    audits: [],
  },
  'auth.resetPassword': {
    allowed: 'anyone',
    input: async () => {
      const { user } = await createTestStudent(orm, { passwordHash });
      const link = await requestPasswordReset(
        orm.em.fork(),
        { email: user.email, as: 'student' },
        `matrix-${unique()}`,
      );
      return { token: link!.token, password: PASSWORD };
    },
    // The student row changes only in its password hash, which the trail never records.
    audits: [],
  },
  'activities.list': { allowed: 'anyone', input: async () => ({}) },
  'activities.categories': { allowed: 'anyone', input: async () => undefined },
  'activities.get': { allowed: 'anyone', input: async () => ({ id: (await newActivity()).id }) },
  'activities.create': {
    allowed: STAFF,
    input: async () => ({ name: `Created ${unique()}`, maxParticipants: 3 }),
    audits: ['activity insert'],
  },
  'activities.update': {
    allowed: STAFF,
    input: async () => {
      const activity = await newActivity();
      return { id: activity.id, version: activity.version, description: 'changed' };
    },
    audits: ['activity update'],
  },
  'activities.delete': {
    allowed: STAFF,
    input: async () => ({ id: (await newActivity()).id }),
    audits: ['activity delete'],
  },
  'participants.list': { allowed: STAFF, input: async () => ({ activityId: (await newActivity()).id }) },
  'participants.add': {
    allowed: STAFF,
    input: async ({ owner }) => ({ activityId: (await newActivity()).id, email: owner.user.email }),
    audits: ['activity_participant insert'],
  },
  'participants.addNewStudent': {
    allowed: STAFF,
    input: async () => ({
      activityId: (await newActivity()).id,
      email: `new-${unique()}@mergington.edu`,
      name: 'New Student',
      grade: null,
    }),
    audits: ['student insert', 'activity_participant insert'],
  },
  'participants.remove': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const activity = await newActivity();
      await admin.participants.add({ activityId: activity.id, email: owner.user.email });
      return { activityId: activity.id, email: owner.user.email };
    },
    audits: ['activity_participant delete'],
  },
  // A preview writes nothing (a mutation only for its long input); a move of one student leaves its delete
  // from the first activity and its insert into the other.
  'bulk.preview': {
    allowed: STAFF,
    input: async ({ owner }) => ({
      operation: { kind: 'add', activityId: (await newActivity()).id, emails: [owner.user.email] },
    }),
    audits: [],
  },
  'bulk.commit': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const from = await newActivity();
      await enroll(owner, from.id);
      return {
        operation: {
          kind: 'move',
          fromActivityId: from.id,
          toActivityId: (await newActivity()).id,
          studentIds: [owner.user.id],
        },
        mode: 'all-or-nothing',
      };
    },
    audits: ['activity_participant delete', 'activity_participant insert'],
  },
  'signups.mine': { allowed: STUDENTS, input: async () => undefined },
  'signups.join': {
    allowed: STUDENTS,
    input: async () => ({ activityId: (await newActivity()).id }),
    audits: ['activity_participant insert'],
  },
  'signups.leave': {
    allowed: STUDENTS,
    // Withdrawing is only ever of oneself: another student's signup is not theirs to find.
    otherStudent: 'NOT_FOUND',
    input: async ({ owner }) => {
      const activity = await newActivity();
      await admin.participants.add({ activityId: activity.id, email: owner.user.email });
      return { activityId: activity.id };
    },
    audits: ['activity_participant delete'],
  },
  'students.list': { allowed: STAFF, input: async () => ({}) },
  'students.get': { allowed: STAFF, input: async ({ owner }) => ({ id: owner.user.id }) },
  'students.create': {
    allowed: ADMIN,
    input: async () => ({ email: `made-${unique()}@mergington.edu`, name: 'Made', grade: 10 }),
    audits: ['student insert'],
  },
  'students.update': {
    allowed: ADMIN,
    input: async ({ owner }) => ({ id: owner.user.id, grade: 11 }),
    audits: ['student update'],
  },
  'students.delete': {
    allowed: ADMIN,
    input: async () => ({ id: (await createTestStudent(orm)).user.id }),
    audits: ['student delete'],
  },
  'teachers.list': { allowed: ADMIN, input: async () => ({}) },
  'teachers.names': { allowed: STAFF, input: async () => undefined },
  'teachers.get': { allowed: ADMIN, input: async () => ({ id: (await createTestTeacher(orm)).user.id }) },
  'teachers.create': {
    allowed: ADMIN,
    input: async () => {
      const username = `t${unique()}`;
      return {
        email: `${username}@mergington.edu`,
        username,
        name: 'T',
        role: 'teacher',
        password: PASSWORD,
      };
    },
    audits: ['teacher insert'],
  },
  'teachers.update': {
    allowed: ADMIN,
    input: async () => ({ id: (await createTestTeacher(orm)).user.id, name: 'Renamed' }),
    audits: ['teacher update'],
  },
  'teachers.delete': {
    allowed: ADMIN,
    input: async () => ({ id: (await createTestTeacher(orm)).user.id }),
    audits: ['teacher delete'],
  },

  'committees.list': { allowed: 'anyone', input: async () => ({}) },
  'committees.get': { allowed: 'anyone', input: async () => ({ id: (await newCommittee()).id }) },
  'committees.create': {
    allowed: STAFF,
    input: async () => ({ name: `Committee ${unique()}` }),
    audits: ['committee insert'],
  },
  'committees.update': {
    allowed: STAFF,
    input: async () => ({ id: (await newCommittee()).id, description: 'changed' }),
    audits: ['committee update'],
  },
  'committees.delete': {
    allowed: STAFF,
    input: async () => ({ id: (await newCommittee()).id }),
    audits: ['committee delete'],
  },
  'positions.current': {
    allowed: 'anyone',
    input: async ({ owner }) => ({ committeeId: (await newPosition(owner)).committee.id }),
  },
  'positions.history': {
    allowed: 'anyone',
    input: async ({ owner }) => ({
      committeeId: (await newPosition(owner)).committee.id,
      positionName: 'Secretary',
    }),
  },
  'positions.mine': { allowed: STUDENTS, input: async () => undefined },
  'positions.list': { allowed: STAFF, input: async () => ({}) },
  'positions.assign': {
    allowed: STAFF,
    input: async ({ owner }) => ({
      committeeId: (await newCommittee()).id,
      studentId: owner.user.id,
      positionName: 'President',
      termStart: '2026-09-01',
    }),
    audits: ['position insert'],
  },
  'positions.update': {
    allowed: STAFF,
    input: async ({ owner }) => ({ id: (await newPosition(owner)).id, positionName: 'Clerk' }),
    audits: ['position update'],
  },
  'positions.endTerm': {
    allowed: STAFF,
    input: async ({ owner }) => ({ id: (await newPosition(owner)).id }),
    audits: ['position update'],
  },
  'positions.delete': {
    allowed: STAFF,
    input: async ({ owner }) => ({ id: (await newPosition(owner)).id }),
    audits: ['position delete'],
  },
  'events.list': {
    allowed: 'anyone',
    input: async ({ owner }) => ({ activityId: (await newEventWonBy(owner)).activity.id }),
  },
  'events.get': { allowed: 'anyone', input: async ({ owner }) => ({ id: (await newEventWonBy(owner)).id }) },
  'events.create': {
    allowed: STAFF,
    input: async () => ({
      activityId: (await newActivity()).id,
      name: 'Final',
      date: new Date('2027-05-01T15:00:00Z'),
    }),
    audits: ['event insert'],
  },
  'events.update': {
    allowed: STAFF,
    input: async () => ({ id: (await newEvent()).id, venue: 'Gym' }),
    audits: ['event update'],
  },
  'events.delete': {
    allowed: STAFF,
    input: async () => ({ id: (await newEvent()).id }),
    audits: ['event delete'],
  },
  'events.recordResults': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const event = await newEvent();
      await enroll(owner, event.activity.id);
      return { eventId: event.id, results: [{ place: 1, studentId: owner.user.id }] };
    },
    audits: ['event_result insert'],
  },
  'groups.list': {
    allowed: 'anyone',
    input: async ({ owner }) => ({ activityId: (await newGroupLedBy(owner)).activity.id }),
  },
  'groups.get': { allowed: 'anyone', input: async ({ owner }) => ({ id: (await newGroupLedBy(owner)).id }) },
  'groups.create': {
    allowed: STUDENTS,
    input: async ({ me }) => {
      const activity = await newActivity();
      if (me?.user.kind === 'student') await enroll(me, activity.id);
      return { activityId: activity.id, name: `Group ${unique()}` };
    },
    audits: ['activity_group insert', 'group_member insert'],
  },
  'groups.join': {
    allowed: STUDENTS,
    input: async ({ me }) => {
      const group = await newGroupLedBy(await createTestStudent(orm));
      if (me?.user.kind === 'student') await enroll(me, group.activity.id);
      return { groupId: group.id };
    },
    audits: ['group_member insert'],
  },
  'groups.leave': {
    allowed: STUDENTS,
    // One can only leave a group one is in.
    otherStudent: 'NOT_FOUND',
    input: async ({ owner }) => ({ groupId: (await newGroupLedBy(owner)).id }),
    audits: ['group_member delete', 'activity_group delete'],
  },
  'groups.transferLeadership': {
    allowed: SIGNED_IN,
    otherStudent: 'FORBIDDEN',
    input: async ({ owner }) => {
      const { group, member } = await newGroupWithMember(owner);
      return { groupId: group.id, studentId: member.user.id };
    },
    audits: ['activity_group update', 'group_member update', 'group_member update'],
  },
  'groups.removeMember': {
    allowed: SIGNED_IN,
    otherStudent: 'FORBIDDEN',
    input: async ({ owner }) => {
      const { group, member } = await newGroupWithMember(owner);
      return { groupId: group.id, studentId: member.user.id };
    },
    audits: ['group_member delete'],
  },
  'groups.rename': {
    allowed: SIGNED_IN,
    otherStudent: 'FORBIDDEN',
    input: async ({ owner }) => ({ groupId: (await newGroupLedBy(owner)).id, name: `Renamed ${unique()}` }),
    audits: ['activity_group update'],
  },
  'groups.delete': {
    allowed: STAFF,
    input: async ({ owner }) => ({ groupId: (await newGroupLedBy(owner)).id }),
    audits: ['activity_group delete', 'group_member delete'],
  },
  'news.list': { allowed: 'anyone', input: async () => ({}) },
  'news.get': {
    allowed: 'anyone',
    input: async () => ({ id: (await admin.news.create({ title: 'T', content: 'C' })).id }),
  },
  'news.trending': { allowed: 'anyone', input: async () => ({}) },
  'news.create': {
    allowed: STAFF,
    input: async () => ({ title: 'Hello', content: 'World', category: 'general' }),
    audits: ['news insert'],
  },
  'news.update': {
    allowed: STAFF,
    input: async () => {
      const news = await admin.news.create({ title: 'T', content: 'C' });
      return { id: news.id, version: news.version, pinned: true };
    },
    audits: ['news update'],
  },
  'news.delete': {
    allowed: STAFF,
    input: async () => ({ id: (await admin.news.create({ title: 'T', content: 'C' })).id }),
    audits: ['news delete'],
  },
  'feedback.forActivity': {
    allowed: 'anyone',
    input: async ({ owner }) => ({ activityId: (await newActivityReviewedBy(owner)).id }),
  },
  'feedback.distribution': {
    allowed: 'anyone',
    input: async () => ({ activityId: (await newActivity()).id }),
  },
  'feedback.mine': { allowed: STUDENTS, input: async () => undefined },
  'feedback.submit': {
    allowed: STUDENTS,
    input: async ({ me }) => {
      const activity = await newActivity();
      if (me?.user.kind === 'student') await enroll(me, activity.id);
      return { activityId: activity.id, rating: 4 };
    },
    audits: ['feedback insert'],
  },
  'feedback.delete': {
    allowed: STUDENTS,
    // Only one's own review: another student's is not found.
    otherStudent: 'NOT_FOUND',
    input: async ({ owner }) => {
      const activity = await newActivity();
      await enroll(owner, activity.id);
      await asUser(owner).feedback.submit({ activityId: activity.id, rating: 5 });
      return { activityId: activity.id };
    },
    audits: ['feedback delete'],
  },
  'feedback.list': { allowed: STAFF, input: async () => ({}) },
  'feedback.setHidden': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const activity = await newActivity();
      await enroll(owner, activity.id);
      return {
        id: (await asUser(owner).feedback.submit({ activityId: activity.id, rating: 1, review: 'rude' })).id,
        hidden: true,
      };
    },
    audits: ['feedback update'],
  },
  'payments.mine': { allowed: STUDENTS, input: async () => undefined },
  'payments.list': { allowed: STAFF, input: async () => ({}) },
  'payments.get': { allowed: STAFF, input: async ({ owner }) => ({ id: (await newPayment(owner)).id }) },
  'payments.create': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const activity = await newActivity();
      await enroll(owner, activity.id);
      return { studentId: owner.user.id, activityId: activity.id, amountCents: 2500 };
    },
    audits: ['payment insert'],
  },
  'payments.markPaid': {
    allowed: STAFF,
    input: async ({ owner }) => ({ id: (await newPayment(owner)).id, method: 'cash' }),
    audits: ['payment update'],
  },
  'payments.waive': {
    allowed: ADMIN,
    input: async ({ owner }) => ({ id: (await newPayment(owner)).id }),
    audits: ['payment update'],
  },
  'payments.refund': {
    allowed: ADMIN,
    input: async ({ owner }) => {
      const payment = await newPayment(owner);
      await admin.payments.markPaid({ id: payment.id, method: 'card' });
      return { id: payment.id };
    },
    audits: ['payment update'],
  },
  'payments.update': {
    allowed: ADMIN,
    input: async ({ owner }) => ({ id: (await newPayment(owner)).id, amountCents: 1000 }),
    audits: ['payment update'],
  },
  'payments.delete': {
    allowed: ADMIN,
    input: async ({ owner }) => ({ id: (await newPayment(owner)).id }),
    audits: ['payment delete'],
  },
  'payments.totals': { allowed: ADMIN, input: async () => undefined },
  'rounds.list': { allowed: 'anyone', input: async () => undefined },
  'rounds.get': { allowed: 'anyone', input: async () => ({ roundId: (await newRound()).id }) },
  'rounds.create': {
    allowed: ADMIN,
    input: async () => ({
      name: `Round ${unique()}`,
      mode: 'lottery',
      opensAt: '2027-09-01T08:00',
      closesAt: '2027-09-08T08:00',
    }),
    audits: ['signup_round insert'],
  },
  'rounds.update': {
    allowed: ADMIN,
    input: async () => {
      const round = await newRound();
      return { id: round.id, version: round.version, name: `Renamed ${unique()}` };
    },
    audits: ['signup_round update'],
  },
  'rounds.mine': { allowed: STUDENTS, input: async () => undefined },
  'rounds.rank': {
    allowed: STUDENTS,
    input: async () => {
      const activity = await newActivity();
      const round = await admin.rounds.create({
        name: `Lottery ${unique()}`,
        mode: 'lottery',
        ...OPEN,
        activities: [{ activityId: activity.id }],
      });
      return { roundId: round.id, activityIds: [activity.id] };
    },
    audits: ['round_ranking insert'],
  },
  'rounds.preview': {
    allowed: ADMIN,
    input: async ({ owner }) => ({ roundId: (await newRankedLottery(owner)).round.id }),
    audits: [],
  },
  'rounds.publish': {
    allowed: ADMIN,
    input: async ({ owner }) => {
      const { round } = await newRankedLottery(owner);
      const { seed, inputDigest } = await admin.rounds.preview({ roundId: round.id });
      return { roundId: round.id, seed, inputDigest };
    },
    audits: ['round_draw insert', 'signup_round update', 'activity_participant insert'],
  },
  'rounds.why': {
    allowed: ADMIN,
    input: async ({ owner }) => ({
      roundId: (await newPublishedLottery(owner)).round.id,
      studentId: owner.user.id,
    }),
  },
  'rounds.cancelActivity': {
    allowed: ADMIN,
    input: async ({ owner }) => {
      const { round, activity } = await newPublishedLottery(owner);
      return { roundId: round.id, activityId: activity.id };
    },
    audits: ['signup_round_activity update', 'round_draw update', 'activity_participant delete'],
  },
  'import.begin': { allowed: ADMIN, input: async () => undefined, audits: [] },
  'backup.create': { allowed: ADMIN, input: async () => undefined, audits: [] },
  'dashboard.get': { allowed: ADMIN, input: async () => undefined },
  'audit.list': {
    allowed: ADMIN,
    input: async ({ owner }) => ({ person: { kind: 'student', id: owner.user.id } }),
  },
  'audit.rosterHistory': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const activity = await newActivity();
      await enroll(owner, activity.id);
      return { activityId: activity.id };
    },
  },
  'backup.restore': {
    allowed: ADMIN,
    // An admin gets as far as the restore, which refuses this database: it has data and no --force.
    admin: 'BAD_REQUEST',
    input: async () => ({ data: (await admin.backup.create()).data }),
    audits: [],
  },
  'import.part': {
    allowed: ADMIN,
    input: async () => ({ uploadId: randomUUID(), seq: 0, part: {} }),
    audits: [],
  },
  'notifications.list': { allowed: STUDENTS, input: async () => ({}) },
  'notifications.unreadCount': { allowed: STUDENTS, input: async () => undefined },
  'notifications.markRead': {
    allowed: STUDENTS,
    // Another student's notification is not theirs to mark.
    otherStudent: 'NOT_FOUND',
    input: async ({ owner }) => {
      await enroll(owner, (await newActivity()).id);
      const page = await asUser(owner).notifications.list({});
      return { id: page.items[0]!.id };
    },
    audits: [],
  },
  'notifications.markAllRead': { allowed: STUDENTS, input: async () => undefined, audits: [] },
  'notifications.preferences': { allowed: STUDENTS, input: async () => undefined },
  'notifications.setPreference': {
    allowed: STUDENTS,
    input: async () => ({ kind: 'news_posted', email: true }),
    audits: [],
  },
  'notifications.failedEmails': { allowed: ADMIN, input: async () => ({}) },
  'notifications.retryEmail': {
    allowed: ADMIN,
    // An admin gets as far as the retry, which refuses an email that has not failed.
    admin: 'BAD_REQUEST',
    input: async ({ owner }) => {
      await enroll(owner, (await newActivity()).id);
      const page = await asUser(owner).notifications.list({});
      return { id: page.items[0]!.id };
    },
    audits: [],
  },
  'calendar.feed': { allowed: STUDENTS, input: async () => undefined },
  'calendar.regenerateFeed': { allowed: STUDENTS, input: async () => undefined, audits: [] },
  'calendar.revokeFeed': { allowed: STUDENTS, input: async () => undefined, audits: [] },
  'closures.list': { allowed: SIGNED_IN, input: async () => undefined },
  'closures.create': {
    allowed: ADMIN,
    input: async () => ({ startsOn: '2026-12-24', endsOn: '2027-01-01' }),
    audits: ['school_closure insert'],
  },
  'closures.delete': {
    allowed: ADMIN,
    input: async () => ({ id: (await admin.closures.create({ startsOn: '2027-04-05' })).id }),
    audits: ['school_closure delete'],
  },
  'meetings.list': {
    allowed: SIGNED_IN,
    input: async () => ({
      activityId: (await newScheduledActivity()).id,
      from: '2026-11-01',
      to: '2026-11-30',
    }),
  },
  'meetings.add': {
    allowed: STAFF,
    input: async () => ({
      activityId: (await newActivity()).id,
      date: '2026-12-05',
      startTime: '10:00',
      endTime: '12:00',
    }),
    audits: ['meeting insert'],
  },
  'meetings.cancel': {
    allowed: STAFF,
    input: async () => ({
      meeting: { activityId: (await newScheduledActivity()).id, scheduledOn: '2026-11-02' },
    }),
    audits: ['meeting insert', 'meeting update'],
  },
  'meetings.move': {
    allowed: STAFF,
    input: async () => ({
      meeting: { activityId: (await newScheduledActivity()).id, scheduledOn: '2026-11-02' },
      date: '2026-11-03',
      startTime: '15:30',
      endTime: '16:30',
    }),
    audits: ['meeting insert', 'meeting update'],
  },
  'attendance.rollCall': {
    allowed: STAFF,
    input: async ({ owner }) => ({ meeting: await meetingRefOf(owner) }),
  },
  'attendance.mark': {
    allowed: STAFF,
    input: async ({ owner }) => ({
      meeting: await meetingRefOf(owner),
      marks: [{ studentId: owner.user.id, status: 'excused', note: 'ill' }],
    }),
    audits: ['attendance insert'],
  },
  'attendance.markEveryonePresent': {
    allowed: STAFF,
    input: async ({ owner }) => ({ meeting: await meetingRefOf(owner) }),
    audits: ['attendance insert'],
  },
  'attendance.history': {
    allowed: STAFF,
    input: async ({ owner }) => ({ meeting: await meetingRefOf(owner) }),
  },
  'attendance.forActivity': { allowed: STAFF, input: async () => ({ activityId: (await newActivity()).id }) },
  'attendance.forStudent': { allowed: STAFF, input: async ({ owner }) => ({ studentId: owner.user.id }) },
  'attendance.mine': { allowed: STUDENTS, input: async () => undefined },
  'attendance.alerts': { allowed: STAFF, input: async () => undefined },
  'attendance.weekly': { allowed: ADMIN, input: async () => ({ weeks: 4 }) },
  'checkin.open': {
    allowed: STAFF,
    input: async ({ owner }) => ({ meeting: await meetingRefOf(owner) }),
    audits: [],
  },
  'checkin.code': {
    allowed: STAFF,
    input: async ({ owner }) => {
      const meeting = await meetingRefOf(owner);
      await admin.checkin.open({ meeting });
      return meeting;
    },
  },
  'checkin.close': {
    allowed: STAFF,
    input: async ({ owner }) => meetingRefOf(owner),
    audits: [],
  },
  'checkin.submit': {
    allowed: STUDENTS,
    // Only a student enrolled in the meeting's activity checks in.
    otherStudent: 'FORBIDDEN',
    input: async ({ owner }) => {
      const meeting = await meetingRefOf(owner);
      return { meetingId: meeting.meetingId, code: (await admin.checkin.open({ meeting })).code };
    },
    audits: ['attendance insert'],
  },
  'import.commit': {
    allowed: ADMIN,
    input: async () => {
      const { uploadId } = await admin.import.begin();
      await admin.import.part({ uploadId, seq: 0, part: { committees: [{ name: `Imported ${unique()}` }] } });
      return { uploadId, options: { dryRun: true } };
    },
    audits: [],
  },
};

function expected(procedure: string, role: Role): Outcome {
  const { allowed, otherStudent, admin } = MATRIX[procedure]!;
  if (allowed === 'anyone' || allowed.includes(role)) {
    if (role === 'otherStudent' && otherStudent) return otherStudent;
    if (role === 'admin' && admin) return admin;
    return 'ok';
  }
  return role === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN';
}

async function signIn(role: Role): Promise<TestUser | null> {
  if (role === 'anonymous') return null;
  if (role === 'teacher' || role === 'admin') return createTestTeacher(orm, role, passwordHash);
  return createTestStudent(orm, { passwordHash });
}

const isMutation = (procedure: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[procedure]!._def
    .type === 'mutation';

const lastAuditId = async () =>
  (await orm.em.fork().execute<{ id: number | null }[]>(`select max(id) as id from audit_log`))[0]!.id ?? 0;

/** The audit rows written since `after`, as "table action", and the actors, request ids and addresses named. */
async function auditedSince(after: number) {
  const rows = await orm.em
    .fork()
    .execute<{ change: string; actor: string; request_id: string; client_address: string }[]>(
      `select table_name || ' ' || action as change, actor_kind || ':' || coalesce(actor_id::text, '-') as actor,
              request_id, client_address
         from audit_log where id > ? order by id`,
      [after],
    );
  return {
    changes: rows.map((row) => row.change).sort(),
    actors: [...new Set(rows.map((row) => `${row.actor} ${row.request_id} ${row.client_address}`))],
  };
}

describe('the role matrix', () => {
  it('covers every procedure of the API', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it('names the audit rows of every mutation, and of no query', () => {
    const wrong = Object.keys(MATRIX).filter(
      (name) => isMutation(name) !== (MATRIX[name]!.audits !== undefined),
    );
    expect(wrong).toEqual([]);
  });

  for (const procedure of Object.keys(MATRIX)) {
    it(`${procedure}: ${ROLES.map((role) => `${role} ${expected(procedure, role)}`).join(', ')}`, async () => {
      for (const role of ROLES) {
        const me = await signIn(role);
        const owner = role === 'student' ? me! : await createTestStudent(orm, { passwordHash });
        const input = await MATRIX[procedure]!.input({ me, owner });
        const caller = callerFor(orm, me?.token);
        const call = procedure
          .split('.')
          .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
          input: unknown,
        ) => Promise<unknown>;
        let answer: unknown;
        const auditedBefore = await lastAuditId();
        const outcome = await call(input).then(
          (result) => {
            answer = result;
            return 'ok';
          },
          (error: { code?: string }) => error.code ?? String(error),
        );
        expect(`${role}: ${outcome}`).toBe(`${role}: ${expected(procedure, role)}`);
        const { audits } = MATRIX[procedure]!;
        if (audits) {
          // What the call wrote is recorded as the caller's, from its request; a refused call leaves nothing.
          const actor = !me
            ? 'anonymous:-'
            : `${procedure === 'import.commit' ? 'import' : me.user.kind}:${me.user.id}`;
          const wanted = outcome === 'ok' ? [...audits].sort() : [];
          expect({ role, ...(await auditedSince(auditedBefore)) }).toEqual({
            role,
            changes: wanted,
            actors: wanted.length ? [`${actor} test 127.0.0.1`] : [],
          });
        }
        if (role === 'anonymous' && !MATRIX[procedure]!.answersWithOwnAccount) {
          expect({ anonymousSees: studentDataIn(answer, [owner.user]) }).toEqual({ anonymousSees: [] });
        }
      }
    });
  }
});
