// The ranked-choice lottery's allocation, as a pure function: the same seed and input give the same result.
import type { ChoiceOutcome } from '@mergington/contract';
import { shuffled } from './random.ts';

/** When an activity meets, in minutes of the day: two overlap when they share a day and their times cross. */
export interface Slot {
  days: readonly string[];
  start: number;
  end: number;
}

export function slotsOverlap(a: Slot, b: Slot): boolean {
  return a.start < b.end && b.start < a.end && a.days.some((day) => b.days.includes(day));
}

export interface LotteryActivity {
  id: number;
  freeSeats: number;
  allowedGrades: readonly number[] | null;
  slot: Slot | null;
}

export interface LotteryStudent {
  id: number;
  grade: number | null;
  /** Activity ids, best first. */
  ranking: readonly number[];
  /** Activities of the round the student is already signed up for (they count against the limit). */
  held: readonly number[];
  /** When the student's activities (any, in the round or not) meet: for the no-overlap rule. */
  busy: readonly Slot[];
}

export interface LotteryInput {
  seed: number;
  seniorsFirst: boolean;
  /** At most this many activities of the round per student, held ones included. */
  limit: number;
  noOverlap: boolean;
  students: readonly LotteryStudent[];
  activities: readonly LotteryActivity[];
  /** A fixed draw order (student ids) instead of drawing one: re-running some students of a published draw. */
  order?: readonly number[];
}

export interface ChoiceResult {
  rank: number;
  activityId: number;
  outcome: ChoiceOutcome;
  /** The pass in which it was decided; null where no turn decided it (already in, past the limit). */
  pass: number | null;
}

type Draft = Omit<ChoiceResult, 'outcome'> & { outcome: ChoiceOutcome | null };

export interface Allocation {
  /** Student ids in draw order. */
  order: number[];
  /** In the order they were made. */
  placements: { studentId: number; activityId: number }[];
  /** Unmet choices, in draw order: the waitlist entries to write. */
  waitlist: { studentId: number; activityId: number }[];
  choices: Map<number, ChoiceResult[]>;
}

/**
 * The draw's order: students shuffled by the seed (from id order, so the order they ranked in plays no part),
 * then, with seniorsFirst, higher grades first (the sort is stable: random within a grade).
 */
export function drawOrder(
  students: readonly LotteryStudent[],
  seed: number,
  seniorsFirst: boolean,
): number[] {
  const byId = [...students].sort((a, b) => a.id - b.id);
  const order = shuffled(byId, seed);
  if (seniorsFirst) order.sort((a, b) => (b.grade ?? 0) - (a.grade ?? 0));
  return order.map((student) => student.id);
}

/**
 * Serial choice in passes: in draw order, each student below the limit takes their highest-ranked choice
 * that is open to their grade, does not overlap (when the rule is on) and has a seat; up to `limit` passes.
 * A choice is decided once: seats only fill and a student's schedule only grows, so what was full or
 * overlapping at their turn stays so. Choices that were full become waitlist entries in draw order while
 * the student is below the limit.
 */
export function allocate(input: LotteryInput): Allocation {
  const activities = new Map(input.activities.map((activity) => [activity.id, activity]));
  const seats = new Map(input.activities.map((activity) => [activity.id, activity.freeSeats]));
  const students = new Map(input.students.map((student) => [student.id, student]));
  const order = input.order
    ? input.order.filter((id) => students.has(id))
    : drawOrder(input.students, input.seed, input.seniorsFirst);
  const state = new Map(
    input.students.map((student) => {
      const held = new Set(student.held);
      const choices = student.ranking.map((activityId, index): Draft => ({
        rank: index + 1,
        activityId,
        outcome: held.has(activityId) ? 'already_in' : null,
        pass: null,
      }));
      return [student.id, { count: student.held.length, busy: [...student.busy], choices }];
    }),
  );
  const placements: Allocation['placements'] = [];
  const clashes = (slot: Slot | null, busy: Slot[]) =>
    input.noOverlap && slot !== null && busy.some((other) => slotsOverlap(slot, other));

  for (let pass = 1; pass <= input.limit; pass++) {
    let placedThisPass = false;
    for (const studentId of order) {
      const student = state.get(studentId)!;
      if (student.count >= input.limit) continue;
      const grade = students.get(studentId)!.grade;
      for (const choice of student.choices) {
        if (choice.outcome) continue;
        const activity = activities.get(choice.activityId);
        choice.pass = pass;
        if (!activity) {
          choice.outcome = 'cancelled';
        } else if (activity.allowedGrades && !(grade && activity.allowedGrades.includes(grade))) {
          choice.outcome = 'grade';
        } else if (clashes(activity.slot, student.busy)) {
          choice.outcome = 'overlap';
        } else if (seats.get(activity.id)! <= 0) {
          choice.outcome = 'full';
        } else {
          choice.outcome = 'placed';
          seats.set(activity.id, seats.get(activity.id)! - 1);
          student.count++;
          if (activity.slot) student.busy.push(activity.slot);
          placements.push({ studentId, activityId: activity.id });
          placedThisPass = true;
          break;
        }
      }
    }
    if (!placedThisPass) break;
  }

  const waitlist: Allocation['waitlist'] = [];
  for (const studentId of order) {
    const student = state.get(studentId)!;
    for (const choice of student.choices) {
      if (!choice.outcome) {
        choice.outcome = 'limit';
        choice.pass = null;
      } else if (choice.outcome === 'full' && student.count < input.limit) {
        if (clashes(activities.get(choice.activityId)!.slot, student.busy)) continue;
        choice.outcome = 'waitlisted';
        student.count++;
        waitlist.push({ studentId, activityId: choice.activityId });
      }
    }
  }
  return {
    order,
    placements,
    waitlist,
    // Every choice is decided by now.
    choices: new Map([...state].map(([id, student]) => [id, student.choices as ChoiceResult[]])),
  };
}
