import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import {
  type ClosureCreateInput,
  type ClosureDto,
  type MeetingAddInput,
  type MeetingDto,
  type MeetingMoveInput,
  type MeetingRef,
  WEEKDAYS,
  type Weekday,
} from '@mergington/contract';
import { SchoolClosure } from '../../entities/index.ts';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { schoolTimeZone } from '../../env.ts';
import { query, sql } from '../../sql.ts';
import { notify } from '../notifications/notifications.ts';

// An activity's meetings are its schedule's days within its term, minus school closures; only the meetings
// something happened to (attendance, check-in, cancelled, moved, added) are rows of `meeting`, so a term is
// never written out ahead, and a meeting's id is fixed from the first thing recorded on it.

/** What the listing needs of an activity. */
export interface ScheduleRow {
  id: number;
  schedule_days: Weekday[] | null;
  start_time: string | null;
  end_time: string | null;
  term_starts_on: string | null;
  term_ends_on: string | null;
}

/** A stored meeting (timestamps as the driver gives them: text). */
export interface MeetingRow {
  id: number;
  activity_id: number;
  scheduled_on: string | null;
  starts_at: string;
  ends_at: string;
  cancelled: boolean;
  checkin_open: boolean;
}

const MEETING_COLUMNS = sql`m.id, m.activity_id, m.scheduled_on::text, m.starts_at, m.ends_at, m.cancelled,
  m.checkin_secret is not null as checkin_open`;

/** A wall-clock date and time ("2027-03-14", "15:30") in the school's time zone, as an instant. */
export function wallClock(date: string, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

/** The school-zone calendar day of an instant. */
export function schoolDay(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

async function scheduleOf(em: EntityManager, activityId: number): Promise<ScheduleRow> {
  const [row] = await query<ScheduleRow>(
    em,
    sql`select id, schedule_days, start_time::text, end_time::text, term_starts_on::text, term_ends_on::text
          from activity where id = ${activityId}`,
  );
  if (!row) throw new NotFoundError('activity', activityId);
  return row;
}

async function closuresBetween(em: EntityManager, from: string, to: string): Promise<ClosureDto[]> {
  return query<ClosureDto>(
    em,
    sql`select id, starts_on::text as "startsOn", ends_on::text as "endsOn", reason from school_closure
         where starts_on <= ${to}::date and ends_on >= ${from}::date order by starts_on, id`,
  );
}

/** The schedule's meetings (date, start, end) between two days, inclusive: its days in its term, not closed. */
export function scheduledMeetings(
  activity: ScheduleRow,
  closures: readonly ClosureDto[],
  from: string,
  to: string,
  zone: string,
): { date: string; startsAt: Date; endsAt: Date }[] {
  const { schedule_days: days, start_time: start, end_time: end } = activity;
  if (!days || !start || !end || !activity.term_starts_on || !activity.term_ends_on) return [];
  const first = from > activity.term_starts_on ? from : activity.term_starts_on;
  const last = to < activity.term_ends_on ? to : activity.term_ends_on;
  const meetings = [];
  for (let day = DateTime.fromISO(first, { zone }); day.toISODate()! <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    if (!days.includes(WEEKDAYS[day.weekday - 1]!)) continue;
    if (closures.some((closure) => closure.startsOn <= date && date <= closure.endsOn)) continue;
    meetings.push({ date, startsAt: wallClock(date, start, zone), endsAt: wallClock(date, end, zone) });
  }
  return meetings;
}

/** A meeting of the schedule that nothing has happened to: it has no row, so no id. */
function unstoredMeeting(
  activityId: number,
  meeting: { date: string; startsAt: Date; endsAt: Date },
): MeetingDto {
  return {
    id: null,
    activityId,
    scheduledOn: meeting.date,
    date: meeting.date,
    startsAt: meeting.startsAt,
    endsAt: meeting.endsAt,
    cancelled: false,
    moved: false,
    added: false,
    checkinOpen: false,
  };
}

function toMeetingDto(row: MeetingRow, activity: ScheduleRow, zone: string): MeetingDto {
  const startsAt = new Date(row.starts_at);
  const endsAt = new Date(row.ends_at);
  const scheduled =
    row.scheduled_on && activity.start_time && activity.end_time
      ? {
          startsAt: wallClock(row.scheduled_on, activity.start_time, zone),
          endsAt: wallClock(row.scheduled_on, activity.end_time, zone),
        }
      : null;
  return {
    id: row.id,
    activityId: row.activity_id,
    scheduledOn: row.scheduled_on,
    date: schoolDay(startsAt, zone),
    startsAt,
    endsAt,
    cancelled: row.cancelled,
    moved:
      scheduled !== null &&
      (scheduled.startsAt.getTime() !== startsAt.getTime() ||
        scheduled.endsAt.getTime() !== endsAt.getTime()),
    added: row.scheduled_on === null,
    checkinOpen: row.checkin_open,
  };
}

/**
 * An activity's meetings taking place between two days of the school's calendar (inclusive), in order: the
 * schedule's (within the term, school closures left out) and the one-off ones, cancelled ones marked
 * `cancelled`, moved ones at their new time and marked `moved` (listed on the day they now take place).
 */
export async function listMeetings(
  em: EntityManager,
  activityId: number,
  from: string,
  to: string,
  zone: string = schoolTimeZone(),
): Promise<MeetingDto[]> {
  const activity = await scheduleOf(em, activityId);
  const rangeStart = wallClock(from, '00:00', zone);
  const rangeEnd = DateTime.fromISO(to, { zone }).plus({ days: 1 }).toJSDate();
  const [closures, stored] = await Promise.all([
    closuresBetween(em, from, to),
    query<MeetingRow>(
      em,
      sql`select ${MEETING_COLUMNS} from meeting m
           where m.activity_id = ${activityId}
             and (m.scheduled_on between ${from}::date and ${to}::date
                  or (m.starts_at >= ${rangeStart} and m.starts_at < ${rangeEnd}))`,
    ),
  ]);
  const storedDates = new Set(stored.map((row) => row.scheduled_on));
  const meetings: MeetingDto[] = [
    ...stored
      .map((row) => toMeetingDto(row, activity, zone))
      .filter((meeting) => from <= meeting.date && meeting.date <= to),
    ...scheduledMeetings(activity, closures, from, to, zone)
      .filter((meeting) => !storedDates.has(meeting.date))
      .map((meeting) => unstoredMeeting(activityId, meeting)),
  ];
  return meetings.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id ?? 0) - (b.id ?? 0));
}

/**
 * The stored meeting a reference names, stored now if it is a meeting of the schedule nothing has happened
 * to yet (two callers at once get the same row: the unique (activity, scheduled_on) decides).
 */
export async function storedMeeting(
  em: EntityManager,
  ref: MeetingRef,
  zone: string = schoolTimeZone(),
): Promise<MeetingRow> {
  if ('meetingId' in ref) {
    const [row] = await query<MeetingRow>(
      em,
      sql`select ${MEETING_COLUMNS} from meeting m where m.id = ${ref.meetingId}`,
    );
    if (!row) throw new NotFoundError('meeting', ref.meetingId);
    return row;
  }
  const { activityId, scheduledOn } = ref;
  const activity = await scheduleOf(em, activityId);
  const closures = await closuresBetween(em, scheduledOn, scheduledOn);
  const [scheduled] = scheduledMeetings(activity, closures, scheduledOn, scheduledOn, zone);
  if (!scheduled) {
    const [existing] = await query<MeetingRow>(
      em,
      sql`select ${MEETING_COLUMNS} from meeting m where m.activity_id = ${activityId} and m.scheduled_on = ${scheduledOn}::date`,
    );
    if (existing) return existing;
    throw new NotFoundError('meeting of the schedule on', scheduledOn);
  }
  await em.execute(
    `insert into meeting (activity_id, scheduled_on, starts_at, ends_at) values (?, ?, ?, ?)
     on conflict (activity_id, scheduled_on) do nothing`,
    [activityId, scheduledOn, scheduled.startsAt, scheduled.endsAt],
  );
  const [row] = await query<MeetingRow>(
    em,
    sql`select ${MEETING_COLUMNS} from meeting m where m.activity_id = ${activityId} and m.scheduled_on = ${scheduledOn}::date`,
  );
  return row!;
}

/** The meeting as listed (for answers after a change). */
export async function getMeeting(
  em: EntityManager,
  meetingId: number,
  zone: string = schoolTimeZone(),
): Promise<MeetingDto> {
  const row = await storedMeeting(em, { meetingId }, zone);
  return toMeetingDto(row, await scheduleOf(em, row.activity_id), zone);
}

/** A one-off meeting (any activity, also one with only a free-text schedule). */
export async function addMeeting(
  em: EntityManager,
  input: MeetingAddInput,
  zone: string = schoolTimeZone(),
): Promise<MeetingDto> {
  await scheduleOf(em, input.activityId);
  const [row] = await query<{ id: number }>(
    em,
    sql`insert into meeting (activity_id, starts_at, ends_at)
        values (${input.activityId}, ${wallClock(input.date, input.startTime, zone)},
                ${wallClock(input.date, input.endTime, zone)}) returning id`,
  );
  return getMeeting(em, row!.id, zone);
}

/**
 * Cancels a meeting, or takes a cancellation back. The activity's enrolled students are told in the same
 * transaction (a repeated cancellation tells no one again).
 */
export async function setMeetingCancelled(
  em: EntityManager,
  ref: MeetingRef,
  cancelled: boolean,
  zone: string = schoolTimeZone(),
): Promise<MeetingDto> {
  return em.transactional(async (tx) => {
    const meeting = await storedMeeting(tx, ref, zone);
    // Only the call that changes it tells anyone (two at once: the second waits for the row, then finds it done).
    const changed = await query<{ id: number }>(
      tx,
      sql`update meeting set cancelled = ${cancelled} where id = ${meeting.id} and cancelled <> ${cancelled}
          returning id`,
    );
    if (changed.length) {
      await tellEnrolled(tx, meeting.activity_id, cancelled ? 'meeting_cancelled' : 'meeting_restored', {
        meetingWhen: meetingInWords(new Date(meeting.starts_at), new Date(meeting.ends_at), zone),
      });
    }
    return getMeeting(tx, meeting.id, zone);
  });
}

/**
 * Moves a meeting to another day or time (it keeps its id and its attendance). The activity's enrolled
 * students are told in the same transaction, unless the meeting is cancelled or its time did not change.
 */
export async function moveMeeting(
  em: EntityManager,
  input: MeetingMoveInput,
  zone: string = schoolTimeZone(),
): Promise<MeetingDto> {
  return em.transactional(async (tx) => {
    const meeting = await storedMeeting(tx, input.meeting, zone);
    const [startsAt, endsAt] = [
      wallClock(input.date, input.startTime, zone),
      wallClock(input.date, input.endTime, zone),
    ];
    // The times it had, read under the row's lock: two moves at once each tell what they changed.
    const [was] = await query<{ starts_at: string; ends_at: string; cancelled: boolean }>(
      tx,
      sql`update meeting m set starts_at = ${startsAt}, ends_at = ${endsAt}
            from (select id, starts_at, ends_at from meeting where id = ${meeting.id} for update) old
           where m.id = old.id
          returning old.starts_at, old.ends_at, m.cancelled`,
    );
    const [wasStart, wasEnd] = [new Date(was!.starts_at), new Date(was!.ends_at)];
    if (
      !was!.cancelled &&
      (wasStart.getTime() !== startsAt.getTime() || wasEnd.getTime() !== endsAt.getTime())
    ) {
      await tellEnrolled(tx, meeting.activity_id, 'meeting_moved', {
        meetingWhen: meetingInWords(wasStart, wasEnd, zone),
        newWhen: meetingInWords(startsAt, endsAt, zone),
      });
    }
    return getMeeting(tx, meeting.id, zone);
  });
}

/** A meeting's day and time on the school's clock, as the notifications say it: "Monday, March 9, 15:30–16:30". */
export function meetingInWords(startsAt: Date, endsAt: Date, zone: string): string {
  const start = DateTime.fromJSDate(startsAt, { zone }).setLocale('en-US');
  const end = DateTime.fromJSDate(endsAt, { zone });
  return `${start.toFormat('cccc, LLLL d, HH:mm')}–${end.toFormat('HH:mm')}`;
}

/** Notifies the students enrolled in an activity (waitlisted ones do not attend its meetings). */
async function tellEnrolled(
  em: EntityManager,
  activityId: number,
  kind: 'meeting_cancelled' | 'meeting_moved' | 'meeting_restored',
  payload: { meetingWhen: string; newWhen?: string },
): Promise<void> {
  const rows = await query<{ student_id: number }>(
    em,
    sql`select student_id from activity_participant
         where activity_id = ${activityId} and status = 'enrolled' order by id`,
  );
  await notify(
    em,
    rows.map((row) => ({ studentId: row.student_id, kind, payload: { activityId, ...payload } })),
  );
}

// ---- school closures

export function listClosures(em: EntityManager): Promise<ClosureDto[]> {
  return query<ClosureDto>(
    em,
    sql`select id, starts_on::text as "startsOn", ends_on::text as "endsOn", reason from school_closure
         order by starts_on, id`,
  );
}

export async function createClosure(em: EntityManager, input: ClosureCreateInput): Promise<ClosureDto> {
  const endsOn = input.endsOn ?? input.startsOn;
  if (endsOn < input.startsOn) throw new RuleViolationError('a closure ends on or after its first day');
  const [row] = await query<ClosureDto>(
    em,
    sql`insert into school_closure (starts_on, ends_on, reason) values (${input.startsOn}, ${endsOn}, ${input.reason})
        returning id, starts_on::text as "startsOn", ends_on::text as "endsOn", reason`,
  );
  return row!;
}

export async function deleteClosure(em: EntityManager, id: number): Promise<void> {
  if (!(await em.nativeDelete(SchoolClosure, { id }))) throw new NotFoundError('closure', id);
}

/** The meeting a reference names, stored or not (a meeting of the schedule is not stored by reading it). */
export async function findMeeting(
  em: EntityManager,
  ref: MeetingRef,
  zone: string = schoolTimeZone(),
): Promise<MeetingDto> {
  if ('meetingId' in ref) return getMeeting(em, ref.meetingId, zone);
  const [stored] = await query<{ id: number }>(
    em,
    sql`select id from meeting where activity_id = ${ref.activityId} and scheduled_on = ${ref.scheduledOn}::date`,
  );
  if (stored) return getMeeting(em, stored.id, zone);
  const activity = await scheduleOf(em, ref.activityId);
  const closures = await closuresBetween(em, ref.scheduledOn, ref.scheduledOn);
  const [scheduled] = scheduledMeetings(activity, closures, ref.scheduledOn, ref.scheduledOn, zone);
  if (!scheduled) throw new NotFoundError('meeting of the schedule on', ref.scheduledOn);
  return unstoredMeeting(ref.activityId, scheduled);
}
