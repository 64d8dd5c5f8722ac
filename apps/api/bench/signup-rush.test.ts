import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { startTestServer } from '../src/testing.ts';
import { type RushResult, rushInvariantViolations, runRush, seedRush } from './signup-rush.ts';

const { orm, url } = await useTestDatabase();
afterAll(() => orm.close());
const origin = await startTestServer(orm);

// pnpm bench:rush at a small size, and its checker shown to catch each kind of broken invariant. No timing.
describe('the signup rush', () => {
  let rush: RushResult;
  let activityIds: number[];

  it('answers 200 students signing up at once for 5 activities with every invariant holding', async () => {
    const data = await seedRush(url, { students: 200, activities: 5 });
    activityIds = data.activityIds;
    rush = await runRush(origin, data, { spreadMs: 200 });
    expect(rush.answers.map((answer) => answer.status)).toEqual(data.students.map(() => 200));
    const waitlisted = rush.answers.filter((answer) => answer.signup?.status === 'waitlisted');
    expect(waitlisted.length).toBeGreaterThan(0); // 155 seats for 200 students, the first ones 5 to 80
    expect(await rushInvariantViolations(url, rush.answers)).toEqual([]);
  });

  /** The answer of the student told `position` in the line of the rush's activity of index `activity`. */
  const toldPosition = (activity: number, position: number) =>
    rush.answers.find(
      (answer) => answer.activityId === activityIds[activity] && answer.signup?.waitlistPosition === position,
    )!;

  it('reports a student told another place in line than their signup holds', async () => {
    const third = toldPosition(0, 3);
    const tampered = rush.answers.map((answer) =>
      answer === third
        ? { ...answer, signup: { status: 'waitlisted' as const, waitlistPosition: 1 } }
        : answer,
    );
    expect(await rushInvariantViolations(url, tampered)).toEqual([
      `activity ${third.activityId}: student ${third.studentId} was told waitlist position 1, but is at 3`,
    ]);
  });

  it('reports a signup sent after another was answered that holds the older place', async () => {
    const [first, second] = [toldPosition(0, 1), toldPosition(0, 2)];
    // As if the second in line had been answered before the first was sent.
    const tampered = rush.answers.map((answer) =>
      answer === second
        ? { ...answer, finalSentAt: first.finalSentAt - 2, answeredAt: first.finalSentAt - 1 }
        : answer,
    );
    // toContain, not toEqual: on a busy machine a student enrolled ahead of them may also have been sent
    // after that invented answer, and is then reported too (rightly, for the invented order).
    expect(await rushInvariantViolations(url, tampered)).toContain(
      `activity ${first.activityId}: student ${first.studentId} asked after student ${second.studentId} was answered, but holds the older signup`,
    );
  });

  it('reports an acknowledged signup that is gone, and the places behind it that moved', async () => {
    const [lost, next] = [toldPosition(0, 1), toldPosition(0, 2)];
    await sql('delete from activity_participant where activity_id = $1 and student_id = $2', [
      lost.activityId,
      lost.studentId,
    ]);
    const violations = await rushInvariantViolations(url, rush.answers);
    expect(violations).toContain(
      `student ${lost.studentId} was told waitlisted for activity ${lost.activityId}, but has no signup`,
    );
    expect(violations).toContain(
      `activity ${next.activityId}: student ${next.studentId} was told waitlist position 2, but is at 1`,
    );
  });

  it('reports an activity over capacity, and an enrolled signup newer than a waitlisted one', async () => {
    const second = toldPosition(1, 2);
    // As only the importer may: past the seat limit, with the trigger's permission.
    await sql(
      `begin; set local mergington.allow_overbooking = on;
       update activity_participant set status = 'enrolled' where activity_id = ${second.activityId} and student_id = ${second.studentId};
       commit`,
    );
    const violations = await rushInvariantViolations(url, rush.answers);
    expect(violations).toContainEqual(
      expect.stringMatching(new RegExp(`^activity ${second.activityId}: \\d+ enrolled for \\d+ seats$`)),
    );
    expect(violations).toContainEqual(
      expect.stringMatching(
        new RegExp(`^activity ${second.activityId}: an enrolled signup .* is newer than a waitlisted one`),
      ),
    );
  });

  it('reports counters that differ from the rows, written with the seat trigger off', async () => {
    const enrolled = rush.answers.find(
      (answer) => answer.activityId === activityIds[2] && answer.signup?.status === 'enrolled',
    )!;
    await sql(
      `begin; alter table activity_participant disable trigger activity_participant_counts;
       delete from activity_participant where activity_id = ${enrolled.activityId} and student_id = ${enrolled.studentId};
       alter table activity_participant enable trigger activity_participant_counts;
       commit`,
    );
    expect(await rushInvariantViolations(url)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^activity ${enrolled.activityId}: counters \\d+/\\d+ but rows \\d+/\\d+$`),
      ),
    );
  });
});

async function sql(text: string, values: unknown[] = []) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(text, values);
  } finally {
    await db.end();
  }
}
