import { z } from 'zod';
import { NEWS_CATEGORIES, PAYMENT_STATUSES } from '../constants.ts';
import { idSchema, pageInput, searchSchema, textSchema } from './common.ts';

/** A calendar day, "YYYY-MM-DD". */
export const dayStringSchema = z.iso.date();
const shortText = (max: number) => textSchema.trim().min(1).max(max);
const personRef = z.object({ id: z.number().int(), name: z.string() });

// ---- committees and positions

export const committeeSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  createdAt: z.date(),
});
export type CommitteeDto = z.infer<typeof committeeSchema>;
export const committeeListInput = z.object({ ...pageInput, search: searchSchema }).strict();
const committeeFields = { name: shortText(120), description: textSchema.trim().max(5000) };
export const committeeCreateInput = z
  .object({ ...committeeFields, description: committeeFields.description.default('') })
  .strict();
export const committeeUpdateInput = z.object(committeeFields).partial().extend({ id: idSchema }).strict();

export const positionSchema = z.object({
  id: z.number().int(),
  committee: personRef,
  positionName: z.string(),
  student: personRef,
  termStart: z.string(),
  /** The day the term ends (exclusive); null while open-ended. */
  termEnd: z.string().nullable(),
  current: z.boolean(),
  /** The term is over: its holder is a former holder. */
  ended: z.boolean(),
});
export type PositionDto = z.infer<typeof positionSchema>;

function checkTerm(value: { termStart?: string; termEnd?: string | null }, ctx: z.RefinementCtx) {
  if (value.termStart && value.termEnd && value.termEnd <= value.termStart) {
    ctx.addIssue({ code: 'custom', path: ['termEnd'], message: 'must be after the start of the term' });
  }
}
const termFields = {
  positionName: shortText(120),
  termStart: dayStringSchema,
  termEnd: dayStringSchema.nullable(),
};
export const positionAssignInput = z
  .object({
    committeeId: idSchema,
    studentId: idSchema,
    ...termFields,
    termEnd: termFields.termEnd.default(null),
  })
  .strict()
  .superRefine(checkTerm);
export type PositionAssignInput = z.infer<typeof positionAssignInput>;
export const positionUpdateInput = z
  .object(termFields)
  .partial()
  .extend({ id: idSchema })
  .strict()
  .superRefine(checkTerm);
export type PositionUpdateInput = z.infer<typeof positionUpdateInput>;
export const positionEndTermInput = z.object({ id: idSchema, endDate: dayStringSchema.optional() }).strict();
export const positionListInput = z
  .object({ ...pageInput, committeeId: idSchema.optional(), studentId: idSchema.optional() })
  .strict();
/** The terms of one position of a committee, of a whole committee, or (neither given) of every committee. */
export const positionHistoryInput = z
  .object({ committeeId: idSchema.optional(), positionName: shortText(120).optional() })
  .strict();
export const positionCurrentInput = z.object({ committeeId: idSchema.optional() }).strict();

// ---- events

export const prizeSchema = z
  .object({
    place: z.number().int().min(1).max(100),
    description: shortText(200),
    amountCents: z.number().int().min(0).max(100_000_000).optional(),
  })
  .strict();
export const judgeInput = z.union([
  z.object({ teacherId: idSchema }).strict(),
  z.object({ name: shortText(200) }).strict(),
]);
export const eventSchema = z.object({
  id: z.number().int(),
  activity: personRef,
  name: z.string(),
  date: z.date(),
  venue: z.string(),
  description: z.string(),
  prizes: z.array(
    z.object({ place: z.number().int(), description: z.string(), amountCents: z.number().int().optional() }),
  ),
  judges: z.array(z.object({ teacherId: z.number().int().nullable(), name: z.string() })),
  results: z.array(
    z.object({
      place: z.number().int(),
      studentId: z.number().int().nullable(),
      groupId: z.number().int().nullable(),
      winner: z.string(),
    }),
  ),
  past: z.boolean(),
});
export type EventDto = z.infer<typeof eventSchema>;

function checkPrizes(value: { prizes?: { place: number }[] }, ctx: z.RefinementCtx) {
  const places = value.prizes?.map((prize) => prize.place) ?? [];
  if (new Set(places).size !== places.length)
    ctx.addIssue({ code: 'custom', path: ['prizes'], message: 'names a place twice' });
}
const eventFields = {
  name: shortText(200),
  date: z.date(),
  venue: textSchema.trim().max(200),
  description: textSchema.trim().max(5000),
  prizes: z.array(prizeSchema).max(20),
  judges: z.array(judgeInput).max(20),
};
export const eventCreateInput = z
  .object({
    activityId: idSchema,
    ...eventFields,
    venue: eventFields.venue.default(''),
    description: eventFields.description.default(''),
    prizes: eventFields.prizes.default([]),
    judges: eventFields.judges.default([]),
  })
  .strict()
  .superRefine(checkPrizes);
export type EventCreateInput = z.infer<typeof eventCreateInput>;
export const eventUpdateInput = z
  .object(eventFields)
  .partial()
  .extend({ id: idSchema })
  .strict()
  .superRefine(checkPrizes);
export type EventUpdateInput = z.infer<typeof eventUpdateInput>;
export const eventListInput = z
  .object({
    ...pageInput,
    activityId: idSchema.optional(),
    when: z.enum(['upcoming', 'past', 'all']).default('all'),
  })
  .strict();
export const eventResultsInput = z
  .object({
    eventId: idSchema,
    results: z
      .array(
        z.union([
          z.object({ place: z.number().int().min(1).max(100), studentId: idSchema }).strict(),
          z.object({ place: z.number().int().min(1).max(100), groupId: idSchema }).strict(),
        ]),
      )
      .max(100),
  })
  .strict()
  .superRefine((value, ctx) => {
    const places = value.results.map((result) => result.place);
    if (new Set(places).size !== places.length)
      ctx.addIssue({ code: 'custom', path: ['results'], message: 'names a place twice' });
  });
export type EventResultsInput = z.infer<typeof eventResultsInput>;

// ---- groups

export const groupSchema = z.object({
  id: z.number().int(),
  activity: personRef,
  name: z.string(),
  leader: personRef.nullable(),
  members: z.array(
    z.object({ studentId: z.number().int(), name: z.string(), role: z.enum(['leader', 'member']) }),
  ),
  size: z.number().int(),
  /** Whether the group is at least the activity's minimum group size (always, when it has none). */
  meetsMinimum: z.boolean(),
});
export type GroupDto = z.infer<typeof groupSchema>;
export const groupListInput = z.object({ ...pageInput, activityId: idSchema }).strict();
export const groupCreateInput = z.object({ activityId: idSchema, name: shortText(120) }).strict();
export const groupIdInput = z.object({ groupId: idSchema }).strict();
export const groupMemberInput = z.object({ groupId: idSchema, studentId: idSchema }).strict();
export const groupRenameInput = z.object({ groupId: idSchema, name: shortText(120) }).strict();

// ---- news

export const newsSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  content: z.string(),
  category: z.enum(NEWS_CATEGORIES),
  activity: personRef.nullable(),
  author: personRef.nullable(),
  pinned: z.boolean(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type NewsDto = z.infer<typeof newsSchema>;
export const newsListInput = z
  .object({ ...pageInput, category: z.enum(NEWS_CATEGORIES).optional(), activityId: idSchema.optional() })
  .strict();
const newsFields = {
  title: shortText(200),
  content: textSchema.trim().min(1).max(20_000),
  category: z.enum(NEWS_CATEGORIES),
  activityId: idSchema.nullable(),
  pinned: z.boolean(),
};
export const newsCreateInput = z
  .object({
    ...newsFields,
    category: newsFields.category.default('general'),
    activityId: newsFields.activityId.default(null),
    pinned: newsFields.pinned.default(false),
  })
  .strict();
export type NewsCreateInput = z.infer<typeof newsCreateInput>;
export const newsUpdateInput = z
  .object(newsFields)
  .partial()
  .extend({ id: idSchema, version: z.number().int().min(1) })
  .strict();
export type NewsUpdateInput = z.infer<typeof newsUpdateInput>;
export const trendingInput = z.object({ limit: z.number().int().min(1).max(20).default(5) }).strict();
export const trendingSchema = z.array(
  z.object({ id: z.number().int(), name: z.string(), signups: z.number().int() }),
);

// ---- feedback

export const feedbackSchema = z.object({
  id: z.number().int(),
  activity: personRef,
  student: personRef,
  rating: z.number().int(),
  review: z.string(),
  hidden: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type FeedbackDto = z.infer<typeof feedbackSchema>;
export const feedbackSubmitInput = z
  .object({
    activityId: idSchema,
    rating: z.number().int().min(1).max(5),
    review: textSchema.trim().max(2000).default(''),
  })
  .strict();
export const feedbackListInput = z
  .object({ ...pageInput, activityId: idSchema.optional(), hidden: z.boolean().optional() })
  .strict();
export const feedbackPublicInput = z.object({ ...pageInput, activityId: idSchema }).strict();
export const feedbackHideInput = z.object({ id: idSchema, hidden: z.boolean() }).strict();
export const ratingDistributionSchema = z.object({
  activityId: z.number().int(),
  counts: z.object({
    1: z.number().int(),
    2: z.number().int(),
    3: z.number().int(),
    4: z.number().int(),
    5: z.number().int(),
  }),
  count: z.number().int(),
  average: z.number().nullable(),
});

// ---- payments

export const paymentStatusSchema = z.enum(PAYMENT_STATUSES);
export const paymentSchema = z.object({
  id: z.number().int(),
  student: personRef,
  activity: personRef,
  amountCents: z.number().int(),
  /** 'overdue' is derived: pending past its due date. */
  status: paymentStatusSchema,
  description: z.string(),
  dueDate: z.string().nullable(),
  paidAt: z.date().nullable(),
  method: z.string().nullable(),
  createdAt: z.date(),
});
export type PaymentDto = z.infer<typeof paymentSchema>;
const paymentFields = {
  amountCents: z.number().int().min(0).max(100_000_000),
  description: textSchema.trim().max(200),
  dueDate: dayStringSchema.nullable(),
};
export const paymentCreateInput = z
  .object({
    studentId: idSchema,
    activityId: idSchema,
    ...paymentFields,
    description: paymentFields.description.default(''),
    dueDate: paymentFields.dueDate.default(null),
  })
  .strict();
export const paymentUpdateInput = z.object(paymentFields).partial().extend({ id: idSchema }).strict();
export const paymentPayInput = z
  .object({ id: idSchema, method: shortText(40), paidAt: z.date().optional() })
  .strict();
export const paymentListInput = z
  .object({
    ...pageInput,
    studentId: idSchema.optional(),
    activityId: idSchema.optional(),
    status: paymentStatusSchema.optional(),
  })
  .strict();
export type PaymentListInput = z.infer<typeof paymentListInput>;
export const myPaymentsSchema = z.object({ items: z.array(paymentSchema), balanceCents: z.number().int() });
export const paymentTotalsSchema = z.object({
  byStatus: z.array(
    z.object({ status: paymentStatusSchema, count: z.number().int(), totalCents: z.number().int() }),
  ),
  byActivity: z.array(
    z.object({
      activity: personRef,
      status: paymentStatusSchema,
      count: z.number().int(),
      totalCents: z.number().int(),
    }),
  ),
});

// ---- the admin dashboard

export const dashboardSchema = z.object({
  counts: z.object({
    students: z.number().int(),
    teachers: z.number().int(),
    activities: z.number().int(),
    enrolled: z.number().int(),
    waitlisted: z.number().int(),
    groups: z.number().int(),
    upcomingEvents: z.number().int(),
  }),
  /** Every activity's seats, fullest first. */
  fill: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      enrolledCount: z.number().int(),
      maxParticipants: z.number().int(),
      waitlistCount: z.number().int(),
    }),
  ),
  payments: paymentTotalsSchema.shape.byStatus,
});
export type DashboardDto = z.infer<typeof dashboardSchema>;
