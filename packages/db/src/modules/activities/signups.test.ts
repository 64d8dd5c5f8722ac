import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rosters } from '../../../test/rosters.ts';
import { useTestDatabase } from '../../../test/test-database.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
import { fillFreeSeats, signUp, waitlist, withdraw } from './signups.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const fork = () => orm.em.fork();
const { sql, createActivity, createStudents, seatProblems } = rosters(orm);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('signUp', () => {
  it('enrols while seats remain, then waitlists in order', async () => {
    const activity = await createActivity(2);
    const [a, b, c, d] = await createStudents(4);
    expect(await signUp(fork(), a!, activity)).toMatchObject({ status: 'enrolled', waitlistPosition: null });
    expect(await signUp(fork(), b!, activity)).toMatchObject({ status: 'enrolled', waitlistPosition: null });
    expect(await signUp(fork(), c!, activity)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await signUp(fork(), d!, activity)).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect(await waitlist(fork(), activity)).toEqual([
      { studentId: c, position: 1 },
      { studentId: d, position: 2 },
    ]);
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('names people, not ids: "you" to the student, their name to a teacher', async () => {
    const activity = await createActivity(5);
    const [student] = await createStudents(1);
    await sql(`update student set name = 'Ada Lovelace' where id = ?`, [student]);
    const [{ name }] = (await sql<{ name: string }>(`select name from activity where id = ?`, [
      activity,
    ])) as [{ name: string }];
    await signUp(fork(), student!, activity);
    await expect(signUp(fork(), student!, activity, { teacherId: 1 })).rejects.toThrow(
      `Ada Lovelace is already signed up for ${name}`,
    );
    await withdraw(fork(), student!, activity);
    await expect(withdraw(fork(), student!, activity)).rejects.toThrow(`You are not signed up for ${name}`);
    await expect(withdraw(fork(), student!, activity, 'teacher')).rejects.toThrow(
      `Ada Lovelace is not signed up for ${name}`,
    );
    await expect(withdraw(fork(), student!, activity)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a second signup of the same student as a conflict, and keeps the first', async () => {
    const activity = await createActivity(5);
    const [student] = await createStudents(1);
    await signUp(fork(), student!, activity);
    await expect(signUp(fork(), student!, activity)).rejects.toThrow(ConflictError);
    await expect(signUp(fork(), student!, activity)).rejects.toThrow(/already signed up/);
    const [row] = await sql<{ count: number }>(
      `select count(*)::int as count from activity_participant where activity_id = ?`,
      [activity],
    );
    expect(row!.count).toBe(1);
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('refuses a grade the activity does not take, and a student with no grade on record', async () => {
    const activity = await createActivity(5, { allowedGrades: [11, 12] });
    const [ninth] = await createStudents(1, 9);
    const [unknown] = await createStudents(1, null);
    const [eleventh] = await createStudents(1, 11);
    await expect(signUp(fork(), ninth!, activity)).rejects.toThrow(RuleViolationError);
    await expect(signUp(fork(), unknown!, activity)).rejects.toThrow(/no grade on record/);
    expect(await signUp(fork(), eleventh!, activity)).toMatchObject({ status: 'enrolled' });
  });

  it('names what is missing', async () => {
    const activity = await createActivity(1);
    const [student] = await createStudents(1);
    await expect(signUp(fork(), 999_999, activity)).rejects.toThrow(new NotFoundError('student', 999_999));
    await expect(signUp(fork(), student!, 999_999)).rejects.toThrow(new NotFoundError('activity', 999_999));
  });
});

describe('withdraw', () => {
  it('gives the freed seat to the first student in line, in the same transaction', async () => {
    const activity = await createActivity(1);
    const [a, b, c] = await createStudents(3);
    for (const student of [a, b, c]) await signUp(fork(), student!, activity);
    expect(await withdraw(fork(), a!, activity)).toEqual({ promotedStudentId: b });
    expect(await waitlist(fork(), activity)).toEqual([{ studentId: c, position: 1 }]);
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('promotes no one when a waitlisted student leaves, and moves the others up', async () => {
    const activity = await createActivity(1);
    const [a, b, c] = await createStudents(3);
    for (const student of [a, b, c]) await signUp(fork(), student!, activity);
    expect(await withdraw(fork(), b!, activity)).toEqual({ promotedStudentId: null });
    expect(await waitlist(fork(), activity)).toEqual([{ studentId: c, position: 1 }]);
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('refuses to withdraw a signup that does not exist', async () => {
    const activity = await createActivity(1);
    const [student] = await createStudents(1);
    await expect(withdraw(fork(), student!, activity)).rejects.toThrow(NotFoundError);
  });
});

describe('fillFreeSeats', () => {
  it('after capacity is raised, admits the waitlist in FIFO order up to the new capacity', async () => {
    const activity = await createActivity(1);
    const students = await createStudents(5);
    for (const student of students) await signUp(fork(), student, activity);
    await sql(`update activity set max_participants = 3 where id = ?`, [activity]);
    const promoted = await fork().transactional((em) => fillFreeSeats(em as EntityManager, activity));
    expect(promoted.sort((x, y) => x - y)).toEqual(students.slice(1, 3));
    expect((await waitlist(fork(), activity)).map((entry) => entry.studentId)).toEqual(students.slice(3));
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('after capacity is lowered, keeps everyone enrolled and admits no one until there is room', async () => {
    const activity = await createActivity(3);
    const students = await createStudents(5);
    for (const student of students) await signUp(fork(), student, activity);
    await sql(`update activity set max_participants = 1 where id = ?`, [activity]);
    expect(await withdraw(fork(), students[0]!, activity)).toEqual({ promotedStudentId: null });
    expect(await withdraw(fork(), students[1]!, activity)).toEqual({ promotedStudentId: null });
    expect(await withdraw(fork(), students[2]!, activity)).toEqual({ promotedStudentId: students[3] });
    expect(await seatProblems(activity)).toEqual([]);
  });
});

/** The naive signup this module replaces: count the seats, then insert, with no lock in between. */
async function unlockedSignUp(
  em: EntityManager,
  studentId: number,
  activityId: number,
  bypassSeatTrigger: boolean,
) {
  await em.transactional(async (tx) => {
    const connection = tx.getConnection();
    const ctx = tx.getTransactionContext();
    if (bypassSeatTrigger)
      await connection.execute(`set local mergington.allow_overbooking = on`, [], 'run', ctx);
    const [row] = await connection.execute<{ enrolled: number; max: number }[]>(
      `select (select count(*)::int from activity_participant where activity_id = a.id and status = 'enrolled') as enrolled,
              a.max_participants as max from activity a where a.id = ?`,
      [activityId],
      'all',
      ctx,
    );
    const status = row!.enrolled < row!.max ? 'enrolled' : 'waitlisted';
    await connection.execute(
      `insert into activity_participant (activity_id, student_id, status) values (?, ?, ?)`,
      [activityId, studentId, status],
      'run',
      ctx,
    );
  });
}

describe('200 students signing up at once for 10 seats', () => {
  it('leaves exactly 10 enrolled and 190 waitlisted at positions 1 to 190', async () => {
    const activity = await createActivity(10);
    const students = await createStudents(200);
    const results = await Promise.all(students.map((student) => signUp(fork(), student, activity)));

    expect(results.filter((result) => result.status === 'enrolled')).toHaveLength(10);
    const positions = results.flatMap((result) => (result.waitlistPosition ? [result.waitlistPosition] : []));
    expect(positions.sort((x, y) => x - y)).toEqual(range(1, 190));
    expect((await waitlist(fork(), activity)).map((entry) => entry.position)).toEqual(range(1, 190));
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('stays correct while withdrawals and signups race each other', async () => {
    const activity = await createActivity(10);
    const students = await createStudents(60);
    await Promise.all(students.slice(0, 30).map((student) => signUp(fork(), student, activity)));
    await Promise.all([
      ...students.slice(0, 15).map((student) => withdraw(fork(), student, activity)),
      ...students.slice(30).map((student) => signUp(fork(), student, activity)),
    ]);
    expect(await seatProblems(activity)).toEqual([]);
    const [row] = await sql<{ enrolled: number }>(
      `select enrolled_count as enrolled from activity where id = ?`,
      [activity],
    );
    expect(row!.enrolled).toBe(10);
  });

  // Controls: the same load through the naive signup shows that the checks above can fail.
  it('control: the unlocked version overbooks when the database guard is off', async () => {
    const activity = await createActivity(10);
    const students = await createStudents(200);
    await Promise.all(students.map((student) => unlockedSignUp(fork(), student, activity, true)));
    const problems = await seatProblems(activity);
    expect(problems.some((problem) => problem.startsWith('overbooked'))).toBe(true);
  });

  it('control: with the unlocked version the database guard refuses the overbooking signups', async () => {
    const activity = await createActivity(10);
    const students = await createStudents(200);
    const outcomes = await Promise.allSettled(
      students.map((student) => unlockedSignUp(fork(), student, activity, false)),
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/no free seat/);
    const [row] = await sql<{ enrolled: number }>(
      `select count(*)::int as enrolled from activity_participant where activity_id = ? and status = 'enrolled'`,
      [activity],
    );
    expect(row!.enrolled).toBeLessThanOrEqual(10);
  });
});
