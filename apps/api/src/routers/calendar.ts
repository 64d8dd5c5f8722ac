import {
  calendarFeed,
  calendarFeedSchema,
  newCalendarFeedSchema,
  regenerateCalendarFeed,
  revokeCalendarFeed,
} from '@mergington/db';
import { router, studentProcedure } from '../trpc.ts';

/**
 * A student's personal calendar feed (its URL is served by calendar-feeds.ts, outside tRPC, for calendar
 * apps): whether they have one, a new secret URL (the old one stops working), or none.
 */
export const calendarRouter = router({
  feed: studentProcedure.output(calendarFeedSchema).query(({ ctx }) => calendarFeed(ctx.em, ctx.user.id)),
  regenerateFeed: studentProcedure
    .output(newCalendarFeedSchema)
    .mutation(({ ctx }) => regenerateCalendarFeed(ctx.em, ctx.user.id)),
  revokeFeed: studentProcedure
    .output(calendarFeedSchema)
    .mutation(({ ctx }) => revokeCalendarFeed(ctx.em, ctx.user.id)),
});
