// Notifications: what a student is told, in the app always and by email per their preferences.
import { z } from 'zod';
import { idSchema, pageInput } from './common.ts';
import { ROUND_MODES } from './rounds.ts';

/**
 * Every kind of notification, with whether email is on until the student says otherwise, and whether they
 * may turn its email off at all (money owed and losing a seat are always emailed).
 */
export const NOTIFICATION_KINDS = {
  signup_confirmed: { label: 'Signup confirmed', emailByDefault: false, optional: true },
  signup_waitlisted: { label: 'Placed on a waitlist', emailByDefault: true, optional: true },
  promoted: { label: 'Promoted from the waitlist', emailByDefault: true, optional: true },
  added_by_teacher: { label: 'Added to an activity by a teacher', emailByDefault: true, optional: true },
  removed_by_teacher: {
    label: 'Removed from an activity by a teacher',
    emailByDefault: true,
    optional: false,
  },
  payment_recorded: { label: 'Payment recorded', emailByDefault: true, optional: true },
  payment_due_soon: { label: 'Payment due in 3 days', emailByDefault: true, optional: true },
  payment_overdue: { label: 'Payment overdue', emailByDefault: true, optional: false },
  event_results: { label: 'Event results', emailByDefault: true, optional: true },
  news_posted: { label: 'News in my activities', emailByDefault: false, optional: true },
  meeting_cancelled: { label: 'A meeting cancelled', emailByDefault: true, optional: true },
  meeting_moved: { label: 'A meeting moved', emailByDefault: true, optional: true },
  meeting_restored: { label: 'A cancelled meeting back on', emailByDefault: true, optional: true },
  round_opening: { label: 'A signup round opens tomorrow', emailByDefault: true, optional: true },
  round_closed: { label: 'A signup round I took part in closed', emailByDefault: false, optional: true },
  round_results: {
    label: 'Results of a round: its lottery or opening draw',
    emailByDefault: true,
    optional: true,
  },
} as const satisfies Record<string, { label: string; emailByDefault: boolean; optional: boolean }>;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as [
  NotificationKind,
  ...NotificationKind[],
];
export const notificationKindSchema = z.enum(NOTIFICATION_KIND_NAMES);

/** Where an email of a notification stands: `off` when none is due (preference, or nobody to send to). */
export const EMAIL_STATUSES = ['pending', 'sent', 'failed', 'off'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** What a notification is about; each kind fills the fields it needs. */
export const notificationPayloadSchema = z.object({
  activityId: z.number().int().optional(),
  activityName: z.string().optional(),
  waitlistPosition: z.number().int().optional(),
  paymentId: z.number().int().optional(),
  amountCents: z.number().int().optional(),
  description: z.string().optional(),
  dueDate: z.string().optional(),
  eventId: z.number().int().optional(),
  eventName: z.string().optional(),
  newsId: z.number().int().optional(),
  title: z.string().optional(),
  /** A meeting's day and time as it was, and (moved) as it is now, in words on the school's clock. */
  meetingWhen: z.string().optional(),
  newWhen: z.string().optional(),
  roundId: z.number().int().optional(),
  roundName: z.string().optional(),
  roundMode: z.enum(ROUND_MODES).optional(),
  /** When a round opens or closed, in words on the school's clock. */
  roundWhen: z.string().optional(),
  /** A lottery's results: the activities the student has a place in, and those whose waitlist they are on. */
  places: z.array(z.string()).optional(),
  waitlists: z.array(z.string()).optional(),
  /** Results again because this activity of the round was cancelled after publication. */
  cancelledActivity: z.string().optional(),
});
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;

export const notificationSchema = z.object({
  id: z.number().int(),
  kind: notificationKindSchema,
  title: z.string(),
  body: z.string(),
  /** The app's path of the thing it is about (`/activities/3`). */
  link: z.string(),
  /** The activity it is about, as it was named then (the student's page shows promotions by it). */
  activityName: z.string().nullable(),
  createdAt: z.date(),
  readAt: z.date().nullable(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const notificationListInput = z
  .object({ ...pageInput, unreadOnly: z.boolean().default(false), kind: notificationKindSchema.optional() })
  .strict();
export type NotificationListInput = z.infer<typeof notificationListInput>;
export const notificationIdInput = z.object({ id: idSchema }).strict();
export const unreadCountSchema = z.object({ unread: z.number().int() });

export const notificationPreferenceSchema = z.object({
  kind: notificationKindSchema,
  label: z.string(),
  email: z.boolean(),
  /** False for the kinds that are always emailed. */
  optional: z.boolean(),
});
export type NotificationPreferenceDto = z.infer<typeof notificationPreferenceSchema>;
export const notificationPreferencesSchema = z.array(notificationPreferenceSchema);
export const notificationPreferenceInput = z
  .object({ kind: notificationKindSchema, email: z.boolean() })
  .strict();

/** An email that failed after its last retry (admins). */
export const failedEmailSchema = z.object({
  notificationId: z.number().int(),
  kind: notificationKindSchema,
  student: z.object({ id: z.number().int(), name: z.string(), email: z.string() }),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.date(),
});
export type FailedEmailDto = z.infer<typeof failedEmailSchema>;
export const failedEmailListInput = z.object({ ...pageInput }).strict();
