import { describe, expect, it } from 'vitest';
import { allocate, drawOrder, type LotteryInput, type LotteryStudent } from './lottery.ts';
import { openingDrawOrder } from './round-signups.ts';
import { seededRandom } from './random.ts';

const student = (id: number, ranking: number[], extra: Partial<LotteryStudent> = {}): LotteryStudent => ({
  id,
  grade: 10,
  ranking,
  held: [],
  busy: [],
  ...extra,
});
const activity = (
  id: number,
  freeSeats: number,
  extra: Partial<LotteryInput['activities'][number]> = {},
) => ({
  id,
  freeSeats,
  allowedGrades: null,
  slot: null,
  ...extra,
});

/** A school of `students` ranking 5 of `activities` each, popularity skewed to the low ids. */
function school(seed: number, students: number, activities: number, seats: number): LotteryInput {
  const random = seededRandom(seed);
  return {
    seed,
    seniorsFirst: false,
    limit: 2,
    noOverlap: false,
    activities: Array.from({ length: activities }, (_, i) => activity(i + 1, seats)),
    students: Array.from({ length: students }, (_, i) => {
      const ranking = new Set<number>();
      while (ranking.size < 5) ranking.add(1 + Math.floor(random() ** 2 * activities));
      return student(i + 1, [...ranking], { grade: 9 + (i % 4) });
    }),
  };
}

describe('the lottery allocation', () => {
  it('gives the same allocation for the same seed and input, and another for another seed', () => {
    const input = school(7, 300, 20, 12);
    const first = allocate(input);
    const again = allocate(structuredClone(input));
    expect(again.order).toEqual(first.order);
    expect(again.placements).toEqual(first.placements);
    expect(again.waitlist).toEqual(first.waitlist);
    expect([...again.choices]).toEqual([...first.choices]);
    expect(allocate({ ...input, seed: 8 }).order).not.toEqual(first.order);
  });

  it('serves everyone a first turn before anyone a second, up to the limit; full choices are waitlisted in draw order', () => {
    // Three students all want 1 then 2; activity 1 has one seat, activity 2 two.
    const input: LotteryInput = {
      seed: 1,
      seniorsFirst: false,
      limit: 2,
      noOverlap: false,
      activities: [activity(1, 1), activity(2, 2)],
      students: [student(1, [1, 2]), student(2, [1, 2]), student(3, [1, 2])],
    };
    const { order, placements, waitlist, choices } = allocate(input);
    const [a, b, c] = order as [number, number, number];
    expect(placements).toEqual([
      { studentId: a, activityId: 1 },
      { studentId: b, activityId: 2 },
      { studentId: c, activityId: 2 },
    ]);
    expect(waitlist).toEqual([
      { studentId: a, activityId: 2 },
      { studentId: b, activityId: 1 },
      { studentId: c, activityId: 1 },
    ]);
    expect(choices.get(b)).toEqual([
      { rank: 1, activityId: 1, outcome: 'waitlisted', pass: 1 },
      { rank: 2, activityId: 2, outcome: 'placed', pass: 1 },
    ]);
    // a got 1 in pass 1 and 2 was full by its second turn.
    expect(choices.get(a)).toEqual([
      { rank: 1, activityId: 1, outcome: 'placed', pass: 1 },
      { rank: 2, activityId: 2, outcome: 'waitlisted', pass: 2 },
    ]);
  });

  it('honours grades, overlaps and what a student already holds', () => {
    const monday = { days: ['monday'], start: 900, end: 960 };
    const { choices, placements } = allocate({
      seed: 3,
      seniorsFirst: false,
      limit: 2,
      noOverlap: true,
      activities: [activity(1, 5, { allowedGrades: [12] }), activity(2, 5, { slot: monday }), activity(3, 5)],
      students: [student(1, [1, 2, 3], { held: [3], busy: [{ days: ['monday'], start: 930, end: 990 }] })],
    });
    expect(placements).toEqual([]);
    expect(choices.get(1)!.map((choice) => choice.outcome)).toEqual(['grade', 'overlap', 'already_in']);
  });

  it('draws seniors first when asked, in random order within a grade', () => {
    const students = Array.from({ length: 40 }, (_, i) => student(i + 1, [1], { grade: 9 + (i % 4) }));
    const grades = new Map(students.map((s) => [s.id, s.grade]));
    const order = drawOrder(students, 11, true).map((id) => grades.get(id));
    expect(order).toEqual([...order].sort((x, y) => y! - x!));
    expect(drawOrder(students, 11, true)).not.toEqual(drawOrder(students, 12, true));
  });
});

// Fairness: over 1,000 seeded runs a student's chance of a first choice must not depend on when they acted.
// Students are numbered in the order they acted (ranked in the lottery window, clicked in the opening
// window); the draw sees that order. Each quarter's share of first choices should be the overall share.
describe('fairness over 1,000 seeded runs', () => {
  const RUNS = 1000;
  const quarterShares = (hits: number[], students: number) =>
    [0, 1, 2, 3].map((q) => {
      const from = (q * students) / 4;
      const to = ((q + 1) * students) / 4;
      return hits.slice(from, to).reduce((sum, n) => sum + n, 0) / (RUNS * (to - from));
    });

  it('lottery: first choices by when the student ranked', () => {
    const students = 200;
    const hits = Array<number>(students).fill(0);
    for (let seed = 1; seed <= RUNS; seed++) {
      // Everyone wants activity 1 (40 seats) first: who gets it is the draw alone.
      const input: LotteryInput = {
        seed,
        seniorsFirst: false,
        limit: 1,
        noOverlap: false,
        activities: [activity(1, 40), activity(2, 200)],
        students: Array.from({ length: students }, (_, i) => student(i + 1, [1, 2])),
      };
      const { choices } = allocate(input);
      for (let id = 1; id <= students; id++) if (choices.get(id)![0]!.outcome === 'placed') hits[id - 1]!++;
    }
    const shares = quarterShares(hits, students);
    console.log(
      `lottery, share with their first choice by quarter of ranking time: ${shares.map((s) => s.toFixed(3)).join(', ')} (expected 0.200)`,
    );
    for (const share of shares) expect(Math.abs(share - 0.2)).toBeLessThan(0.02);
  });

  it('opening draw: first choices by when in the window the student clicked', () => {
    const students = 200;
    const seats = 40;
    const hits = Array<number>(students).fill(0);
    // Entry ids are arrival order: student i clicked i-th in the window.
    const entries = Array.from({ length: students }, (_, i) => ({ id: i + 1, student_id: 1000 + i }));
    for (let seed = 1; seed <= RUNS; seed++) {
      openingDrawOrder(entries, seed)
        .slice(0, seats)
        .forEach((entry) => hits[entry.student_id - 1000]!++);
    }
    const shares = quarterShares(hits, students);
    console.log(
      `opening draw, share seated by quarter of arrival: ${shares.map((s) => s.toFixed(3)).join(', ')} (expected 0.200)`,
    );
    for (const share of shares) expect(Math.abs(share - 0.2)).toBeLessThan(0.02);
  });
});
