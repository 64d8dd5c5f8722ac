import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { type ICalCalendar, ICalEventRepeatingFreq, type ICalWeekday } from 'ical-generator';
import { DateTime } from 'luxon';
import {
  type CalendarFeedDto,
  type NewCalendarFeedDto,
  studentFeedPath,
  type Weekday,
} from '@mergington/contract';
import { schoolTimeZone } from '../../env.ts';
import { NotFoundError } from '../../errors.ts';
import { pgArray, query, sql } from '../../sql.ts';
import { hashToken } from '../accounts/accounts.ts';
import {
  meetingInWords,
  type MeetingRow,
  type ScheduleRow,
  scheduledMeetings,
  wallClock,
} from '../attendance/meetings.ts';

// Calendar feeds (iCalendar, RFC 5545): an activity's public feed, and a student's personal one of the
// activities they are enrolled in, at a secret URL. An activity's structured schedule is one recurring event
// (weekly on its days, through its term, on the school's clock with the zone's VTIMEZONE), with the days it
// does not meet as exceptions (school closures, cancelled meetings, moved ones); a moved meeting and a one-off
// meeting are events of their own. Expanded, a feed gives exactly the meetings `listMeetings` lists as
// taking place (feeds.test.ts checks it across a daylight-saving change).

// ---- the student's feed: made, regenerated, revoked

/** Whether the student has a feed, and since when (its URL is shown only when made). */
export async function calendarFeed(em: EntityManager, studentId: number): Promise<CalendarFeedDto> {
  const [row] = await query<{ created_at: Date }>(
    em,
    sql`select created_at from calendar_feed where student_id = ${studentId}`,
  );
  return { createdAt: row ? new Date(row.created_at) : null };
}

/** A new secret URL for the student's feed; the one before (if any) stops working at once. */
export async function regenerateCalendarFeed(
  em: EntityManager,
  studentId: number,
): Promise<NewCalendarFeedDto> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await query<{ created_at: Date }>(
    em,
    sql`insert into calendar_feed (student_id, token_hash) values (${studentId}, ${hashToken(token)})
        on conflict (student_id) do update set token_hash = excluded.token_hash, created_at = now()
        returning created_at`,
  );
  return { createdAt: new Date(row!.created_at), path: studentFeedPath(token) };
}

/** Ends the student's feed: its URL answers 404 from now on. */
export async function revokeCalendarFeed(em: EntityManager, studentId: number): Promise<CalendarFeedDto> {
  await query(em, sql`delete from calendar_feed where student_id = ${studentId}`);
  return { createdAt: null };
}

// ---- the feeds themselves

/** What a feed needs of an activity: its schedule and name. */
type FeedActivity = ScheduleRow & { name: string };

type FeedMeeting = Omit<MeetingRow, 'checkin_open'>;

interface FeedEvent {
  id: number;
  activity_id: number;
  name: string;
  date: string;
  venue: string;
  description: string;
}

const ACTIVITY_COLUMNS = sql`a.id, a.name, a.schedule_days, a.start_time::text, a.end_time::text,
  a.term_starts_on::text, a.term_ends_on::text`;

/** An activity's public feed: its meetings and events. */
export async function activityFeed(
  em: EntityManager,
  activityId: number,
  zone: string = schoolTimeZone(),
): Promise<string> {
  const activities = await query<FeedActivity>(
    em,
    sql`select ${ACTIVITY_COLUMNS} from activity a where a.id = ${activityId}`,
  );
  if (!activities.length) throw new NotFoundError('activity', activityId);
  return feedOf(em, activities[0]!.name, activities, zone);
}

/**
 * A student's feed by its secret token: the meetings and events of the activities they are enrolled in.
 * Null when no feed has that token (never made, regenerated since, or revoked).
 */
export async function studentFeed(
  em: EntityManager,
  token: string,
  zone: string = schoolTimeZone(),
): Promise<string | null> {
  const [feed] = await query<{ student_id: number }>(
    em,
    sql`select student_id from calendar_feed where token_hash = ${hashToken(token)}`,
  );
  if (!feed) return null;
  const activities = await query<FeedActivity>(
    em,
    sql`select ${ACTIVITY_COLUMNS} from activity a join activity_participant p on p.activity_id = a.id
         where p.student_id = ${feed.student_id} and p.status = 'enrolled' order by a.name, a.id`,
  );
  return feedOf(em, 'My activities', activities, zone);
}

async function feedOf(
  em: EntityManager,
  name: string,
  activities: readonly FeedActivity[],
  zone: string,
): Promise<string> {
  const ids = pgArray(activities.map((activity) => activity.id));
  const meetings = await query<FeedMeeting>(
    em,
    sql`select id, activity_id, scheduled_on::text, starts_at, ends_at, cancelled from meeting
         where activity_id = any(${ids}::int[]) order by starts_at, id`,
  );
  const closures = await query<{ starts_on: string; ends_on: string }>(
    em,
    sql`select starts_on::text, ends_on::text from school_closure`,
  );
  const events = await query<FeedEvent>(
    em,
    sql`select id, activity_id, name, date, venue, description from event
         where activity_id = any(${ids}::int[]) order by date, id`,
  );
  const calendar = ical({
    name,
    prodId: { company: 'Mergington High School', product: 'Activities', language: 'EN' },
    // No calendar-wide zone (it would write DTSTAMP and UNTIL in local time, which RFC 5545 forbids): each
    // event names the school's zone, and the generator writes that zone's VTIMEZONE once.
    timezone: { name: null, generator: getVtimezoneComponent },
    x: [['X-WR-TIMEZONE', zone]],
  });
  for (const activity of activities) {
    addMeetings(
      calendar,
      activity,
      meetings.filter((meeting) => meeting.activity_id === activity.id),
      closures,
      zone,
    );
  }
  const activityName = new Map(activities.map((activity) => [activity.id, activity.name]));
  for (const event of events) {
    calendar.createEvent({
      id: `event-${event.id}@mergington-activities`,
      start: DateTime.fromJSDate(new Date(event.date), { zone }),
      timezone: zone,
      summary: `${event.name} (${activityName.get(event.activity_id)})`,
      location: event.venue || null,
      description: event.description || null,
    });
  }
  return calendar.toString();
}

/** The days of an activity's term on which its schedule meets ("2027-03-01", ...), closures included. */
function scheduleDays(activity: FeedActivity, zone: string): string[] {
  const { term_starts_on: first, term_ends_on: last } = activity;
  if (!first || !last) return [];
  return scheduledMeetings(activity, [], first, last, zone).map((meeting) => meeting.date);
}

/** "monday" -> "MO", as RRULE's BYDAY writes days. */
const byDay = (day: Weekday) => day.slice(0, 2).toUpperCase() as ICalWeekday;

function addMeetings(
  calendar: ICalCalendar,
  activity: FeedActivity,
  stored: readonly FeedMeeting[],
  closures: readonly { starts_on: string; ends_on: string }[],
  zone: string,
): void {
  const days = scheduleDays(activity, zone);
  const onSchedule = new Set(days);
  const at = (date: string, time: string) => DateTime.fromJSDate(wallClock(date, time, zone), { zone });
  const excluded = new Set<string>();
  const kept = new Set<string>();
  const ownEvents: FeedMeeting[] = [];
  for (const meeting of stored) {
    const date = meeting.scheduled_on;
    if (date === null || !onSchedule.has(date)) {
      // A one-off meeting, or one of a schedule that has changed since: an event of its own.
      if (!meeting.cancelled) ownEvents.push(meeting);
      continue;
    }
    const moved =
      wallClock(date, activity.start_time!, zone).getTime() !== new Date(meeting.starts_at).getTime() ||
      wallClock(date, activity.end_time!, zone).getTime() !== new Date(meeting.ends_at).getTime();
    if (meeting.cancelled || moved) excluded.add(date);
    else kept.add(date); // stored as scheduled: it takes place even on a closure added since
    if (moved && !meeting.cancelled) ownEvents.push(meeting);
  }
  for (const date of days) {
    if (!kept.has(date) && closures.some((c) => c.starts_on <= date && date <= c.ends_on)) excluded.add(date);
  }
  if (days.length) {
    const first = days[0]!;
    calendar.createEvent({
      id: `activity-${activity.id}-meetings@mergington-activities`,
      start: at(first, activity.start_time!),
      end: at(first, activity.end_time!),
      timezone: zone,
      summary: activity.name,
      repeating: {
        freq: ICalEventRepeatingFreq.WEEKLY,
        byDay: activity.schedule_days!.map(byDay),
        until: DateTime.fromISO(activity.term_ends_on!, { zone }).endOf('day'),
        ...(excluded.size
          ? { exclude: [...excluded].sort().map((date) => at(date, activity.start_time!)) }
          : {}),
      },
    });
  }
  for (const meeting of ownEvents) {
    const [startsAt, endsAt] = [new Date(meeting.starts_at), new Date(meeting.ends_at)];
    const from =
      meeting.scheduled_on === null
        ? null
        : meetingInWords(
            wallClock(meeting.scheduled_on, activity.start_time ?? '00:00', zone),
            wallClock(meeting.scheduled_on, activity.end_time ?? '00:00', zone),
            zone,
          );
    calendar.createEvent({
      id: `meeting-${meeting.id}@mergington-activities`,
      start: DateTime.fromJSDate(startsAt, { zone }),
      end: DateTime.fromJSDate(endsAt, { zone }),
      timezone: zone,
      summary: activity.name,
      description: from ? `Moved from ${from}` : 'An extra meeting',
    });
  }
}
