// Signup rounds: opening times, a fair opening, ranked-choice lotteries, per-student limits.
import { z } from 'zod';
import { idSchema, textSchema } from './common.ts';
import { dayStringSchema } from './school.ts';

/** first_come: signups in order of arrival (after the opening draw); lottery: students rank, an admin allocates. */
export const ROUND_MODES = ['first_come', 'lottery'] as const;
export type RoundMode = (typeof ROUND_MODES)[number];

/** A wall-clock time in the school's time zone (SCHOOL_TIME_ZONE), as a datetime-local field gives it. */
export const localDateTimeSchema = textSchema.regex(
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/,
  'must be a date and time like 2027-09-01T08:00',
);

const roundActivitySchema = z
  .object({
    activityId: idSchema,
    /** Fewer enrolled than this after an allocation: the activity is listed as under-subscribed. */
    minParticipants: z.number().int().min(1).max(10_000).nullable().default(null),
  })
  .strict();

const roundFields = {
  name: textSchema.trim().min(1).max(120),
  mode: z.enum(ROUND_MODES),
  opensAt: localDateTimeSchema,
  closesAt: localDateTimeSchema,
  /** First come: every signup in this many seconds after opening counts as arriving at once (0: no draw). */
  openingWindowSeconds: z.number().int().min(0).max(3600),
  /** At most this many activities of the round per student (enrolled or waitlisted); null: no limit. */
  maxPerStudent: z.number().int().min(1).max(20).nullable(),
  /** Refuse a signup whose schedule overlaps one of the student's activities. */
  noOverlap: z.boolean(),
  /** Lottery: how many activities a student may rank. */
  maxChoices: z.number().int().min(1).max(10),
  /** Lottery: draw higher grades first (random order within a grade). */
  seniorsFirst: z.boolean(),
  /** The term the round's activities meet in (meetings are generated within it). */
  termStart: dayStringSchema.nullable(),
  termEnd: dayStringSchema.nullable(),
  activities: z.array(roundActivitySchema).max(1000),
};

function checkRound(
  value: {
    opensAt?: string;
    closesAt?: string;
    termStart?: string | null;
    termEnd?: string | null;
    activities?: { activityId: number }[];
  },
  ctx: z.RefinementCtx,
) {
  // Same fixed format: the strings compare as the times do.
  if (value.opensAt && value.closesAt && value.closesAt <= value.opensAt) {
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'must be after the opening time' });
  }
  if (value.termStart && value.termEnd && value.termEnd < value.termStart) {
    ctx.addIssue({ code: 'custom', path: ['termEnd'], message: 'must not be before the term start' });
  }
  const ids = value.activities?.map((activity) => activity.activityId) ?? [];
  if (new Set(ids).size !== ids.length) {
    ctx.addIssue({ code: 'custom', path: ['activities'], message: 'names an activity twice' });
  }
}

export const roundCreateInput = z
  .object({
    ...roundFields,
    openingWindowSeconds: roundFields.openingWindowSeconds.default(0),
    maxPerStudent: roundFields.maxPerStudent.default(null),
    noOverlap: roundFields.noOverlap.default(false),
    maxChoices: roundFields.maxChoices.default(5),
    seniorsFirst: roundFields.seniorsFirst.default(false),
    termStart: roundFields.termStart.default(null),
    termEnd: roundFields.termEnd.default(null),
    activities: roundFields.activities.default([]),
  })
  .strict()
  .superRefine(checkRound);
export type RoundCreateInput = z.infer<typeof roundCreateInput>;

export const roundUpdateInput = z
  .object(roundFields)
  .partial()
  .extend({ id: idSchema, version: z.number().int().min(1) })
  .strict()
  .superRefine(checkRound);
export type RoundUpdateInput = z.infer<typeof roundUpdateInput>;

export const ROUND_PHASES = ['upcoming', 'open', 'closed'] as const;

export const roundSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mode: z.enum(ROUND_MODES),
  opensAt: z.date(),
  closesAt: z.date(),
  /** opensAt and closesAt as the school's wall clock shows them, and its zone. */
  opensAtLocal: z.string(),
  closesAtLocal: z.string(),
  timeZone: z.string(),
  phase: z.enum(ROUND_PHASES),
  openingWindowSeconds: z.number().int(),
  /** When the opening draw's places are given (opensAt + the window); null without a draw. */
  openingDrawAt: z.date().nullable(),
  openingPlacedAt: z.date().nullable(),
  maxPerStudent: z.number().int().nullable(),
  noOverlap: z.boolean(),
  maxChoices: z.number().int(),
  seniorsFirst: z.boolean(),
  termStart: z.string().nullable(),
  termEnd: z.string().nullable(),
  activities: z.array(
    z.object({
      activityId: z.number().int(),
      name: z.string(),
      schedule: z.string(),
      maxParticipants: z.number().int(),
      enrolledCount: z.number().int(),
      waitlistCount: z.number().int(),
      minParticipants: z.number().int().nullable(),
      cancelled: z.boolean(),
    }),
  ),
  publishedAt: z.date().nullable(),
  /** The seed of the published lottery (the opening draw's is kept too, for the record). */
  lotterySeed: z.number().int().nullable(),
  openingSeed: z.number().int().nullable(),
  /** The server's clock when this was read: a countdown need not trust the device's. */
  serverNow: z.date(),
  version: z.number().int(),
});
export type RoundDto = z.infer<typeof roundSchema>;

export const roundIdInput = z.object({ roundId: idSchema }).strict();

export const rankingInput = z
  .object({
    roundId: idSchema,
    /** Best first. */
    activityIds: z.array(idSchema).max(10),
  })
  .strict()
  .refine((value) => new Set(value.activityIds).size === value.activityIds.length, {
    path: ['activityIds'],
    message: 'names an activity twice',
  });
export type RankingInput = z.infer<typeof rankingInput>;

export const CHOICE_OUTCOMES = [
  'placed',
  'already_in',
  'full',
  'waitlisted',
  'grade',
  'overlap',
  'limit',
  'cancelled',
] as const;
export type ChoiceOutcome = (typeof CHOICE_OUTCOMES)[number];

export const choiceWhySchema = z.object({
  rank: z.number().int(),
  activityId: z.number().int(),
  activityName: z.string(),
  outcome: z.enum(CHOICE_OUTCOMES),
  /** The pass of the draw in which it was decided (1: everyone's first turn). */
  pass: z.number().int().nullable(),
  /** In words: "Robotics was full when your turn came (14th of 300)". */
  text: z.string(),
});

export const roundWhySchema = z.object({
  roundId: z.number().int(),
  studentId: z.number().int(),
  /** 1-based place in the draw, of `drawSize`. */
  drawPosition: z.number().int(),
  drawSize: z.number().int(),
  choices: z.array(choiceWhySchema),
});
export type RoundWhyDto = z.infer<typeof roundWhySchema>;

export const roundWhyInput = z.object({ roundId: idSchema, studentId: idSchema }).strict();

/** A student's view of a round: where they stand now. */
export const myRoundSchema = z.object({
  round: roundSchema,
  /** Lottery: the student's ranking, best first. */
  ranking: z.array(z.object({ activityId: z.number().int(), name: z.string() })),
  /** First come: signups waiting for the opening draw's order. */
  inOpeningDraw: z.array(z.object({ activityId: z.number().int(), name: z.string() })),
  /** First come: the student's 1-based place in the opening draw, once placed. */
  openingDrawPosition: z.number().int().nullable(),
  openingDrawSize: z.number().int().nullable(),
  signups: z.array(
    z.object({
      activityId: z.number().int(),
      name: z.string(),
      status: z.enum(['enrolled', 'waitlisted']),
      waitlistPosition: z.number().int().nullable(),
    }),
  ),
  /** Lottery, once published. */
  why: roundWhySchema.nullable(),
});
export type MyRoundDto = z.infer<typeof myRoundSchema>;

export const previewInput = z
  .object({
    roundId: idSchema,
    /** Give the seed of an earlier preview to see it again; leave it out to draw anew. */
    seed: z.number().int().min(0).max(2_147_483_647).optional(),
  })
  .strict();

export const allocationStatisticsSchema = z.object({
  students: z.number().int(),
  /** Shares of the students who ranked anything, 0..1. */
  firstChoiceShare: z.number(),
  anyChoiceShare: z.number(),
  unplaced: z.number().int(),
  placements: z.number().int(),
  waitlistEntries: z.number().int(),
  activities: z.array(
    z.object({
      activityId: z.number().int(),
      name: z.string(),
      maxParticipants: z.number().int(),
      enrolled: z.number().int(),
      waitlisted: z.number().int(),
      /** Students who ranked it first. */
      firstChoices: z.number().int(),
      minParticipants: z.number().int().nullable(),
      underMinimum: z.boolean(),
    }),
  ),
});

export const previewSchema = z.object({
  roundId: z.number().int(),
  seed: z.number().int(),
  /** What the allocation was computed from; publication refuses when it changed since. */
  inputDigest: z.string(),
  statistics: allocationStatisticsSchema,
});
export type PreviewDto = z.infer<typeof previewSchema>;

export const publishInput = z
  .object({
    roundId: idSchema,
    seed: z.number().int().min(0).max(2_147_483_647),
    inputDigest: textSchema.regex(/^[0-9a-f]{64}$/, 'must be the digest a preview gave'),
  })
  .strict();

export const cancelRoundActivityInput = z.object({ roundId: idSchema, activityId: idSchema }).strict();
export const cancelRoundActivitySchema = z.object({
  /** The cancelled activity's students, moved to their next choices or waitlisted. */
  moved: z.number().int(),
  placed: z.number().int(),
  waitlisted: z.number().int(),
});
