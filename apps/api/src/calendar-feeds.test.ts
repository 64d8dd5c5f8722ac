import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher, startTestServer } from './testing.ts';

// The feeds over real HTTP, as a calendar app reads them: parsed and expanded by ical.js with the feed's own
// VTIMEZONE, and compared with what meetings.list answers, over a term that crosses the spring clock change.
const { orm } = await useTestDatabase();
const base = await startTestServer(orm);
const admin = callerFor(orm, (await createTestTeacher(orm, 'admin')).token);
const sql = <T>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

async function scheduledActivity(name: string) {
  const [row] = await sql<{ id: number }>(
    `insert into activity (name, max_participants, schedule_days, start_time, end_time, term_starts_on, term_ends_on)
     values (?, 10, '{tuesday}', '15:30', '16:30', '2027-02-23', '2027-04-06') returning id`,
    [name],
  );
  return row!.id;
}

/** The meetings a feed gives (start and end instants), expanded. */
function meetingsIn(ics: string): { start: string; end: string }[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const found = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const { startDate, endDate } = event.getOccurrenceDetails(next);
      found.push({ start: startDate.toJSDate().toISOString(), end: endDate.toJSDate().toISOString() });
      if (!event.isRecurring()) break;
    }
  }
  return found.sort((a, b) => a.start.localeCompare(b.start));
}

async function listed(activityId: number) {
  const meetings = await admin.meetings.list({ activityId, from: '2027-02-01', to: '2027-04-30' });
  return meetings
    .filter((meeting) => !meeting.cancelled)
    .map((meeting) => ({ start: meeting.startsAt.toISOString(), end: meeting.endsAt.toISOString() }));
}

describe('calendar feeds over HTTP', () => {
  it('serves an activity’s public feed as text/calendar, matching meetings.list across the clock change', async () => {
    const activityId = await scheduledActivity('Public Feed Club');
    await admin.meetings.cancel({ meeting: { activityId, scheduledOn: '2027-03-09' } });
    const response = await fetch(`${base}/calendar/activities/${activityId}.ics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const feed = meetingsIn(await response.text());
    expect(feed).toEqual(await listed(activityId));
    expect(feed.map((meeting) => meeting.start)).toEqual(
      expect.arrayContaining(['2027-03-02T20:30:00.000Z', '2027-03-16T19:30:00.000Z']),
    );
    expect((await fetch(`${base}/calendar/activities/999999.ics`)).status).toBe(404);
    expect((await fetch(`${base}/calendar/activities/${activityId}.ics`, { method: 'POST' })).status).toBe(
      405,
    );
  });

  it('a student copies their secret URL, regenerates it (the old one stops working) and revokes it', async () => {
    const activityId = await scheduledActivity('Personal Feed Club');
    const { caller: student } = await createTestStudentCaller(orm);
    await student.signups.join({ activityId });
    expect(await student.calendar.feed()).toEqual({ createdAt: null });

    const first = await student.calendar.regenerateFeed();
    expect(await student.calendar.feed()).toEqual({ createdAt: first.createdAt });
    const response = await fetch(`${base}${first.path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(meetingsIn(await response.text())).toEqual(await listed(activityId));

    const second = await student.calendar.regenerateFeed();
    expect(second.path).not.toBe(first.path);
    expect((await fetch(`${base}${first.path}`)).status).toBe(404);
    expect((await fetch(`${base}${second.path}`)).status).toBe(200);

    expect(await student.calendar.revokeFeed()).toEqual({ createdAt: null });
    expect((await fetch(`${base}${second.path}`)).status).toBe(404);
    expect((await fetch(`${base}/calendar/students/${'x'.repeat(43)}.ics`)).status).toBe(404);
  });
});
