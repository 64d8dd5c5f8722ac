import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { NotFoundError } from '../../errors.ts';
import { signUp } from '../activities/signups.ts';
import {
  addMeeting,
  createClosure,
  listMeetings,
  moveMeeting,
  setMeetingCancelled,
} from '../attendance/meetings.ts';
import {
  activityFeed,
  calendarFeed,
  regenerateCalendarFeed,
  revokeCalendarFeed,
  studentFeed,
} from './feeds.ts';

const { orm } = await useTestDatabase();
const em = () => orm.em.fork();
const run = <T extends object = object>(text: string, params: unknown[] = []) =>
  em().getConnection().execute<T[]>(text, params);

// New York leaves standard time on Sunday 2027-03-14: a 15:30 meeting is 20:30 UTC before, 19:30 UTC after.
const ZONE = 'America/New_York';

let nextName = 0;
async function scheduledActivity(seats = 10): Promise<number> {
  const [row] = await run<{ id: number }>(
    `insert into activity (name, max_participants, schedule_days, start_time, end_time, term_starts_on, term_ends_on)
     values (?, ?, '{monday,thursday}', '15:30', '16:30', '2027-02-22', '2027-04-08') returning id`,
    [`Feed club ${++nextName}`, seats],
  );
  return row!.id;
}
async function student(): Promise<number> {
  const [row] = await run<{ id: number }>(
    `insert into student (email, name, grade) values (?, ?, 10) returning id`,
    [`feed${++nextName}@mergington.edu`, `Feed Student ${nextName}`],
  );
  return row!.id;
}

interface Occurrence {
  uid: string;
  summary: string;
  start: string;
  end: string;
}

/** Every occurrence a feed gives, expanded by a real iCalendar parser with the feed's own VTIMEZONE. */
function expand(ics: string): Occurrence[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  // Only the feed's VTIMEZONE tells the parser what TZID=America/New_York means (else times float).
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const occurrences: Occurrence[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const of = (start: ICAL.Time, end: ICAL.Time) => ({
      uid: event.uid,
      summary: event.summary,
      start: start.toJSDate().toISOString(),
      end: end.toJSDate().toISOString(),
    });
    if (!event.isRecurring()) {
      occurrences.push(of(event.startDate, event.endDate));
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      occurrences.push(of(details.startDate, details.endDate));
      if (occurrences.length > 1000) throw new Error('the recurrence does not end');
    }
  }
  return occurrences.sort((a, b) => a.start.localeCompare(b.start));
}

const listed = async (activityId: number) =>
  (await listMeetings(em(), activityId, '2027-01-01', '2027-12-31', ZONE))
    .filter((meeting) => !meeting.cancelled)
    .map((meeting) => ({ start: meeting.startsAt.toISOString(), end: meeting.endsAt.toISOString() }));

describe('calendar feeds', () => {
  it('an activity’s feed is one recurring event with its exceptions, and expands to the meetings listed, across a daylight-saving change', async () => {
    const activityId = await scheduledActivity();
    // A meeting stored (cancelled and taken back) before the school closes that day: it still takes place.
    await setMeetingCancelled(em(), { activityId, scheduledOn: '2027-04-01' }, true, ZONE);
    await setMeetingCancelled(em(), { activityId, scheduledOn: '2027-04-01' }, false, ZONE);
    await createClosure(em(), { startsOn: '2027-03-25', endsOn: '2027-04-02', reason: 'Spring break' });
    await setMeetingCancelled(em(), { activityId, scheduledOn: '2027-03-01' }, true, ZONE);
    await moveMeeting(
      em(),
      {
        meeting: { activityId, scheduledOn: '2027-03-11' },
        date: '2027-03-12',
        startTime: '16:00',
        endTime: '17:00',
      },
      ZONE,
    );
    await addMeeting(em(), { activityId, date: '2027-03-20', startTime: '10:00', endTime: '12:00' }, ZONE);

    const ics = await activityFeed(em(), activityId, ZONE);
    const lines = ics.replace(/\r\n[ \t]/g, ''); // long lines unfolded
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:America/New_York');
    expect(ics.match(/^RRULE:FREQ=WEEKLY/gm)).toHaveLength(1); // the VTIMEZONE has yearly ones
    expect(ics).toMatch(/^RRULE:FREQ=WEEKLY;UNTIL=20270409T035959Z;BYDAY=MO,TH\r$/m);
    expect(ics).toMatch(/^DTSTART;TZID=America\/New_York:20270222T153000\r$/m);
    // Cancelled (Mar 1), moved (Mar 11), closed (Mar 25, 29); Apr 1 was stored before the closure.
    expect(lines).toMatch(
      /^EXDATE;TZID=America\/New_York:20270301T153000,20270311T153000,20270325T153000,20270329T153000\r$/m,
    );

    const feed = expand(ics);
    expect(feed.map(({ start, end }) => ({ start, end }))).toEqual(await listed(activityId));
    const starts = feed.map((occurrence) => occurrence.start);
    expect(starts).toContain('2027-03-08T20:30:00.000Z'); // 15:30 EST
    expect(starts).toContain('2027-03-15T19:30:00.000Z'); // 15:30 EDT
    expect(starts).toContain('2027-03-12T21:00:00.000Z'); // moved to Friday 16:00 EST
    expect(starts).toContain('2027-03-20T14:00:00.000Z'); // the extra meeting, 10:00 EDT
    expect(starts).toContain('2027-04-01T19:30:00.000Z');
    expect(starts).not.toContain('2027-03-01T20:30:00.000Z');
    expect(starts).not.toContain('2027-03-25T19:30:00.000Z');
    await expect(activityFeed(em(), 999_999, ZONE)).rejects.toThrow(NotFoundError);
  });

  it('a student’s feed has the meetings and events of the activities they are enrolled in, not those they wait for', async () => {
    const [mine, full] = [await scheduledActivity(), await scheduledActivity(1)];
    const [someone, seated] = [await student(), await student()];
    await signUp(em(), someone, mine);
    await signUp(em(), seated, full);
    await signUp(em(), someone, full); // waitlisted
    await run(
      `insert into event (activity_id, name, date, venue) values (?, 'Spring tournament', ?, 'Gym')`,
      [mine, new Date('2027-03-17T22:00:00Z')],
    );

    expect(await calendarFeed(em(), someone)).toEqual({ createdAt: null });
    const made = await regenerateCalendarFeed(em(), someone);
    expect(made.path).toMatch(/^\/calendar\/students\/[\w-]{43}\.ics$/);
    expect((await calendarFeed(em(), someone)).createdAt).toEqual(made.createdAt);
    const token = made.path.slice('/calendar/students/'.length, -'.ics'.length);
    const feed = expand((await studentFeed(em(), token, ZONE))!);
    const meetings = feed.filter((occurrence) => occurrence.uid.startsWith('activity-'));
    expect(meetings.map(({ start, end }) => ({ start, end }))).toEqual(await listed(mine));
    expect(new Set(meetings.map((occurrence) => occurrence.uid))).toEqual(
      new Set([`activity-${mine}-meetings@mergington-activities`]),
    );
    expect(feed.filter((occurrence) => occurrence.uid.startsWith('event-'))).toMatchObject([
      { summary: expect.stringContaining('Spring tournament'), start: '2027-03-17T22:00:00.000Z' },
    ]);

    // Regenerated: the old URL finds nothing, the new one does; revoked: neither.
    const again = await regenerateCalendarFeed(em(), someone);
    const newToken = again.path.slice('/calendar/students/'.length, -'.ics'.length);
    expect(await studentFeed(em(), token, ZONE)).toBeNull();
    expect(await studentFeed(em(), newToken, ZONE)).toContain('BEGIN:VCALENDAR');
    expect(await revokeCalendarFeed(em(), someone)).toEqual({ createdAt: null });
    expect(await studentFeed(em(), newToken, ZONE)).toBeNull();
  });
});
