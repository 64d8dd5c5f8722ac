import { z } from 'zod';
import {
  failedEmailListInput,
  failedEmails,
  failedEmailSchema,
  listNotifications,
  markAllRead,
  markRead,
  notificationIdInput,
  notificationListInput,
  notificationPreferenceInput,
  notificationPreferencesSchema,
  notificationSchema,
  pageOf,
  preferences,
  retryFailedEmail,
  setPreference,
  unreadCount,
  unreadCountSchema,
} from '@mergington/db';
import { adminProcedure, router, studentProcedure } from '../trpc.ts';

/** A student's own notifications and email preferences; admins see the emails that could not be sent. */
export const notificationsRouter = router({
  list: studentProcedure
    .input(notificationListInput)
    .output(pageOf(notificationSchema))
    .query(({ ctx, input }) => listNotifications(ctx.em, ctx.user.id, input)),
  unreadCount: studentProcedure
    .output(unreadCountSchema)
    .query(({ ctx }) => unreadCount(ctx.em, ctx.user.id)),
  markRead: studentProcedure
    .input(notificationIdInput)
    .output(z.object({ id: z.number().int() }))
    .mutation(({ ctx, input }) => markRead(ctx.em, ctx.user.id, input.id)),
  markAllRead: studentProcedure
    .output(z.object({ marked: z.number().int() }))
    .mutation(({ ctx }) => markAllRead(ctx.em, ctx.user.id)),
  preferences: studentProcedure
    .output(notificationPreferencesSchema)
    .query(({ ctx }) => preferences(ctx.em, ctx.user.id)),
  setPreference: studentProcedure
    .input(notificationPreferenceInput)
    .output(notificationPreferencesSchema)
    .mutation(({ ctx, input }) => setPreference(ctx.em, ctx.user.id, input)),
  /** Emails that failed after the queue's last retry. */
  failedEmails: adminProcedure
    .input(failedEmailListInput)
    .output(pageOf(failedEmailSchema))
    .query(({ ctx, input }) => failedEmails(ctx.em, input)),
  retryEmail: adminProcedure
    .input(notificationIdInput)
    .output(z.object({ id: z.number().int() }))
    .mutation(({ ctx, input }) => retryFailedEmail(ctx.em, input.id)),
});
