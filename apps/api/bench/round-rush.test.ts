import { afterAll, describe, expect, it } from 'vitest';
import { openingDrawOrder } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { startTestServer } from '../src/testing.ts';
import {
  createOpeningRound,
  openingChoices,
  openingInvariantViolations,
  type OpeningSnapshot,
  readOpeningSnapshot,
  readRoundAsStudent,
} from './round-rush.ts';
import { runRush, seedRush } from './signup-rush.ts';

const { orm, url } = await useTestDatabase();
afterAll(() => orm.close());
const origin = await startTestServer(orm);

// pnpm bench:rush --round at a small size, and its checker shown to catch each kind of broken invariant. No timing.
describe("the rush at a round's opening", () => {
  it('holds students signing up at the opening, places the draw at the window end, every invariant holding', async () => {
    const data = await seedRush(url, { students: 60, activities: 5 });
    const round = await createOpeningRound(url, {
      activityIds: data.activityIds,
      windowSeconds: 8,
      maxPerStudent: 2,
      leadMs: 500,
    });
    const choicesOf = (index: number) => openingChoices(index, 5);
    const rush = await runRush(origin, data, { opensAt: round.opensAt, spreadMs: 200, choicesOf });
    // Each third signup at once is refused by the limit of 2; the rest are held for the draw, or (on a
    // machine too busy to answer them all within the window) placed first come after it.
    const triples = data.students.filter((_, index) => choicesOf(index).length === 3).length;
    expect(triples).toBe(6);
    expect(rush.answers.filter((answer) => !answer.signup).map((answer) => answer.code)).toEqual(
      Array(triples).fill('BAD_REQUEST'),
    );
    expect(rush.answers.filter((answer) => answer.signup?.status === 'in_draw').length).toBeGreaterThan(0);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, round.drawAt - Date.now())));
    expect((await readRoundAsStudent(origin, data.students[0]!.token)).status).toBe(200);
    const snapshot = await readOpeningSnapshot(url, round.id);
    expect(snapshot.round.placedAt).not.toBeNull();
    expect(snapshot.participants).toHaveLength(60 + triples);
    expect(openingInvariantViolations(snapshot, rush.answers)).toEqual([]);
  });

  // A placed opening that satisfies every invariant, built by hand: 3 students held for one activity of 1
  // seat and student 1 also for another, placed in the order seed 7 gives.
  function placedOpening(): OpeningSnapshot {
    const held = [
      { id: 1, studentId: 1, activityId: 10 },
      { id: 2, studentId: 2, activityId: 10 },
      { id: 3, studentId: 3, activityId: 10 },
      { id: 4, studentId: 1, activityId: 11 },
    ];
    const order = openingDrawOrder(
      held.map((entry) => ({ ...entry, student_id: entry.studentId })),
      7,
    );
    const taken = new Set<number>();
    return {
      round: { opensAt: 1_000, drawAt: 6_000, maxPerStudent: 2, seed: 7, placedAt: 6_100 },
      activities: [
        { id: 10, maxParticipants: 1, enrolledCount: 1, waitlistCount: 2 },
        { id: 11, maxParticipants: 1, enrolledCount: 1, waitlistCount: 0 },
      ],
      participants: order.map((entry, index) => {
        const status = taken.has(entry.activityId) ? ('waitlisted' as const) : ('enrolled' as const);
        taken.add(entry.activityId);
        return {
          id: 100 + index,
          activityId: entry.activityId,
          studentId: entry.studentId,
          status,
          signupDate: 2_000,
        };
      }),
      entries: order.map((entry) => ({ ...entry, arrivedAt: 2_000, drawPosition: entry.position })),
    };
  }

  it('finds nothing wrong with a correctly placed opening', () => {
    expect(openingInvariantViolations(placedOpening())).toEqual([]);
  });

  it('reports an activity over capacity', () => {
    const opening = placedOpening();
    const waiting = opening.participants.find((row) => row.status === 'waitlisted')!;
    waiting.status = 'enrolled';
    Object.assign(opening.activities[0]!, { enrolledCount: 2, waitlistCount: 1 });
    expect(openingInvariantViolations(opening)).toContain('activity 10: 2 enrolled for 1 seats');
  });

  it('reports a student over the per-student limit', () => {
    const opening = placedOpening();
    opening.activities.push({ id: 12, maxParticipants: 5, enrolledCount: 1, waitlistCount: 0 });
    opening.participants.push({
      id: 200,
      activityId: 12,
      studentId: 1,
      status: 'enrolled',
      signupDate: 7_000,
    });
    expect(openingInvariantViolations(opening)).toEqual([
      'student 1 has 3 activities of the round, over its limit of 2',
    ]);
  });

  it('reports counters that differ from the rows and a duplicate signup', () => {
    const opening = placedOpening();
    opening.participants.push({ ...opening.participants.at(-1)!, id: 200, signupDate: 7_000 });
    const violations = openingInvariantViolations(opening);
    expect(violations).toContainEqual(
      expect.stringMatching(/^activity 1[01]: counters \d\/\d but rows \d\/\d$/),
    );
    expect(violations).toContainEqual(
      expect.stringMatching(/^student \d signed up twice for activity 1[01]$/),
    );
  });

  it('reports a signup accepted before the opening, and one held after the window', () => {
    const opening = placedOpening();
    opening.participants[0]!.signupDate = 999;
    opening.entries[1]!.arrivedAt = 6_000;
    const violations = openingInvariantViolations(opening);
    expect(violations).toContainEqual(
      expect.stringMatching(/dates from 1970-01-01T00:00:00.999Z, before the opening$/),
    );
    expect(violations).toContainEqual(
      expect.stringMatching(/at 1970-01-01T00:00:06.000Z, outside the opening window$/),
    );
  });

  it('reads the instants to the microsecond: a signup held in the last millisecond of the window is in it', async () => {
    const [{ id: activityId }] = (await orm.em
      .fork()
      .execute(
        `insert into activity (name, max_participants) values ('Last millisecond', 5) returning id`,
      )) as [{ id: number }];
    const [{ id: studentId }] = (await orm.em
      .fork()
      .execute(
        `insert into student (email, name) values ('last.millisecond@mergington.edu', 'Last') returning id`,
      )) as [{ id: number }];
    const [{ id: roundId }] = (await orm.em.fork().execute(
      `insert into signup_round (name, mode, opens_at, closes_at, opening_window_seconds, max_per_student)
       values ('Last millisecond', 'first_come', '2027-09-01 08:00:00.0007+00', '2027-09-02 08:00:00+00', 5, 2)
       returning id`,
    )) as [{ id: number }];
    await orm.em
      .fork()
      .execute(`insert into signup_round_activity (round_id, activity_id) values (?, ?)`, [
        roundId,
        activityId,
      ]);
    await orm.em.fork().execute(
      `insert into opening_draw_entry (round_id, activity_id, student_id, arrived_at)
       values (?, ?, ?, '2027-09-01 08:00:05.0003+00')`,
      [roundId, activityId, studentId],
    );
    const snapshot = await readOpeningSnapshot(url, roundId);
    // In whole milliseconds the entry (…05.000) would sit at the window's end (…00.000 + 5 s).
    expect(snapshot.entries[0]!.arrivedAt).toBeLessThan(snapshot.round.drawAt);
    expect(snapshot.round.drawAt - snapshot.entries[0]!.arrivedAt).toBeCloseTo(0.4, 3);
    expect(openingInvariantViolations(snapshot).filter((problem) => problem.includes('window'))).toEqual([]);
  });

  it('reports a placement that is not the stored seed’s order, and a draw never placed', () => {
    const opening = placedOpening();
    opening.round.seed = 8; // the order of another seed
    const other = openingDrawOrder(
      opening.entries.map((entry) => ({ id: entry.id, student_id: entry.studentId })),
      8,
    );
    expect(other.map((entry) => entry.id)).not.toEqual(opening.entries.map((entry) => entry.id));
    expect(openingInvariantViolations(opening)).toContainEqual(
      expect.stringMatching(/draw position \d, but the stored seed gives \d|not in the seed's order/),
    );
    opening.round = { ...opening.round, seed: null, placedAt: null };
    opening.entries[0]!.drawPosition = null;
    expect(openingInvariantViolations(opening)).toEqual(
      expect.arrayContaining([
        'the opening draw was not placed',
        `student ${opening.entries[0]!.studentId}'s held signup for activity ${opening.entries[0]!.activityId} was never placed`,
      ]),
    );
  });

  it('reports a student told in_draw with nothing held, and a first-come status the rows contradict', () => {
    const opening = placedOpening();
    const enrolled = opening.participants.find((row) => row.status === 'enrolled')!;
    expect(
      openingInvariantViolations(opening, [
        { studentId: 9, activityId: 10, signup: { status: 'in_draw', waitlistPosition: null } },
        {
          studentId: enrolled.studentId,
          activityId: enrolled.activityId,
          signup: { status: 'waitlisted', waitlistPosition: 1 },
        },
      ]),
    ).toEqual([
      'student 9 was told in_draw for activity 10, but has no signup',
      'student 9 was told in_draw for activity 10, but was not held',
      `student ${enrolled.studentId} was told waitlisted for activity ${enrolled.activityId}, but is enrolled`,
    ]);
  });
});
