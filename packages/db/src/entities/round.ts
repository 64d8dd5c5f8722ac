import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { type ChoiceOutcome, ROUND_MODES } from '@mergington/contract';
import { Activity } from './activity.ts';
import { Student } from './student.ts';
import { Teacher } from './teacher.ts';
import { timestamps } from './common.ts';

/**
 * A signup round: its activities open at `opensAt` and close at `closesAt` (instants; the API reads and
 * writes them as the school's wall-clock times), with per-student limits, and either first come (after an
 * opening draw) or a ranked-choice lottery.
 */
export const SignupRound = defineEntity({
  name: 'SignupRound',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(120).unique(),
    mode: p.enum([...ROUND_MODES]),
    opensAt: p.datetime(),
    closesAt: p.datetime(),
    openingWindowSeconds: p.integer().default(0),
    maxPerStudent: p.integer().nullable(),
    noOverlap: p.boolean().default(false),
    maxChoices: p.integer().default(5),
    seniorsFirst: p.boolean().default(false),
    termStart: p.date().nullable(),
    termEnd: p.date().nullable(),
    /** The opening draw: its seed and when it was placed (exactly once). */
    openingSeed: p.integer().nullable(),
    openingPlacedAt: p.datetime().nullable(),
    /** The published lottery: its seed, the digest of its input, when. */
    lotterySeed: p.integer().nullable(),
    lotteryInputDigest: p.string().length(64).nullable(),
    publishedAt: p.datetime().nullable(),
    version: p.integer().version(),
    ...timestamps,
  },
  checks: [
    { name: 'signup_round_closes_after_opening', expression: 'closes_at > opens_at' },
    { name: 'signup_round_term_valid', expression: 'term_end >= term_start' },
    {
      name: 'signup_round_window_valid',
      expression: 'opening_window_seconds >= 0 and opening_window_seconds <= 3600',
    },
    { name: 'signup_round_limits_valid', expression: 'max_per_student >= 1 and max_choices >= 1' },
  ],
});
export type SignupRound = InferEntity<typeof SignupRound>;

/** An activity in a round (at most one round per activity). */
export const SignupRoundActivity = defineEntity({
  name: 'SignupRoundActivity',
  properties: {
    id: p.integer().primary(),
    round: () => p.manyToOne(SignupRound).deleteRule('cascade').index(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade').unique(),
    minParticipants: p.integer().nullable(),
    /** Cancelled after an allocation for too few students; its students were moved on. */
    cancelledAt: p.datetime().nullable(),
  },
  checks: [{ name: 'signup_round_activity_min_valid', expression: 'min_participants >= 1' }],
});
export type SignupRoundActivity = InferEntity<typeof SignupRoundActivity>;

/** A first-come signup that arrived in the opening window, held until the draw places it. */
export const OpeningDrawEntry = defineEntity({
  name: 'OpeningDrawEntry',
  properties: {
    id: p.integer().primary(),
    round: () => p.manyToOne(SignupRound).deleteRule('cascade').index(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    arrivedAt: p.datetime(),
    /** The student's 1-based place in the draw, once placed. */
    drawPosition: p.integer().nullable(),
  },
  uniques: [{ name: 'opening_draw_entry_once', properties: ['activity', 'student'] }],
});
export type OpeningDrawEntry = InferEntity<typeof OpeningDrawEntry>;

/** A student's ranked choice in a lottery round (1 = first choice). */
export const RoundRanking = defineEntity({
  name: 'RoundRanking',
  properties: {
    id: p.integer().primary(),
    round: () => p.manyToOne(SignupRound).deleteRule('cascade'),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade').index(),
    rank: p.integer(),
  },
  uniques: [
    { name: 'round_ranking_rank_once', properties: ['round', 'student', 'rank'] },
    { name: 'round_ranking_activity_once', properties: ['round', 'student', 'activity'] },
  ],
  checks: [{ name: 'round_ranking_rank_positive', expression: 'rank >= 1' }],
});
export type RoundRanking = InferEntity<typeof RoundRanking>;

/** A student's place in a published lottery and what became of each choice (the "why"). */
export const RoundDraw = defineEntity({
  name: 'RoundDraw',
  properties: {
    id: p.integer().primary(),
    round: () => p.manyToOne(SignupRound).deleteRule('cascade'),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    drawPosition: p.integer(),
    /** [{ rank, activityId, outcome, pass }] in rank order; outcome one of CHOICE_OUTCOMES. */
    choices: p.json<{ rank: number; activityId: number; outcome: ChoiceOutcome; pass: number | null }[]>(),
  },
  uniques: [
    { name: 'round_draw_once', properties: ['round', 'student'] },
    { name: 'round_draw_position_once', properties: ['round', 'drawPosition'] },
  ],
});
export type RoundDraw = InferEntity<typeof RoundDraw>;

/** A teacher's add past a round's limits (or window), with the reason they gave. */
export const RoundOverride = defineEntity({
  name: 'RoundOverride',
  properties: {
    id: p.integer().primary(),
    round: () => p.manyToOne(SignupRound).deleteRule('cascade').index(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade').index(),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    teacher: () => p.manyToOne(Teacher).deleteRule('set null').nullable().index(),
    /** The limits the add went past, in words. */
    rulesBroken: p.text(),
    reason: p.text(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type RoundOverride = InferEntity<typeof RoundOverride>;
