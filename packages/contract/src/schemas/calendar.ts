// Calendar feeds (iCalendar): a student's personal feed at a secret URL, and a public feed per activity.
import { z } from 'zod';

/** A student's personal feed: none (null) or since when; its URL is shown only when it is made. */
export const calendarFeedSchema = z.object({ createdAt: z.date().nullable() });
export type CalendarFeedDto = z.infer<typeof calendarFeedSchema>;

/** A new feed: its path on the API's origin (`/calendar/students/<token>.ics`), the old one's gone. */
export const newCalendarFeedSchema = z.object({ createdAt: z.date(), path: z.string() });
export type NewCalendarFeedDto = z.infer<typeof newCalendarFeedSchema>;

/** The path of an activity's public feed. */
export const activityFeedPath = (activityId: number) => `/calendar/activities/${activityId}.ics`;
/** The path of a student's feed, by its secret token. */
export const studentFeedPath = (token: string) => `/calendar/students/${token}.ics`;
