import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { NotFoundError } from '../../errors.ts';
import {
  addMeeting,
  createClosure,
  deleteClosure,
  listMeetings,
  moveMeeting,
  setMeetingCancelled,
  storedMeeting,
} from './meetings.ts';

const { orm } = await useTestDatabase();
const em = () => orm.em.fork();
const run = <T extends object = object>(text: string, params: unknown[] = []) =>
  em().getConnection().execute<T[]>(text, params);

let nextName = 0;
async function createActivity(fields: {
  days?: string[];
  start?: string;
  end?: string;
  term?: [string, string];
}): Promise<number> {
  const [row] = await run<{ id: number }>(
    `insert into activity (name, max_participants, schedule_days, start_time, end_time, term_starts_on, term_ends_on)
     values (?, 10, ?, ?, ?, ?, ?) returning id`,
    [
      `Meetings ${++nextName}`,
      fields.days ? `{${fields.days.join(',')}}` : null,
      fields.start ?? null,
      fields.end ?? null,
      fields.term?.[0] ?? null,
      fields.term?.[1] ?? null,
    ],
  );
  return row!.id;
}

/** Closures are school-wide, so each case runs with its own and removes them after. */
async function withClosures<T>(closures: [string, string][], fn: () => Promise<T>): Promise<T> {
  const made = [];
  for (const [startsOn, endsOn] of closures)
    made.push(await createClosure(em(), { startsOn, endsOn, reason: '' }));
  try {
    return await fn();
  } finally {
    for (const closure of made) await deleteClosure(em(), closure.id);
  }
}

interface Case {
  name: string;
  zone: string;
  term: [string, string];
  closures: [string, string][];
  window: [string, string];
  /** The meetings expected: the school's date and the start as an instant (UTC). */
  expected: [string, string][];
}

// Monday and Wednesday, 15:30-16:30 of the school's clock, two closures (a day and a range) each.
const CASES: Case[] = [
  {
    name: 'New York, autumn: daylight saving ends on Sunday 1 November 2026',
    zone: 'America/New_York',
    term: ['2026-10-26', '2026-11-11'],
    closures: [
      ['2026-10-28', '2026-10-28'],
      ['2026-11-02', '2026-11-03'],
    ],
    window: ['2026-10-01', '2026-12-31'],
    expected: [
      ['2026-10-26', '2026-10-26T19:30:00.000Z'],
      ['2026-11-04', '2026-11-04T20:30:00.000Z'],
      ['2026-11-09', '2026-11-09T20:30:00.000Z'],
      ['2026-11-11', '2026-11-11T20:30:00.000Z'],
    ],
  },
  {
    name: 'New York, spring: daylight saving starts on Sunday 14 March 2027, a spring break after it',
    zone: 'America/New_York',
    term: ['2027-03-01', '2027-03-24'],
    closures: [
      ['2027-03-10', '2027-03-10'],
      ['2027-03-15', '2027-03-19'],
    ],
    window: ['2027-02-01', '2027-04-30'],
    expected: [
      ['2027-03-01', '2027-03-01T20:30:00.000Z'],
      ['2027-03-03', '2027-03-03T20:30:00.000Z'],
      ['2027-03-08', '2027-03-08T20:30:00.000Z'],
      ['2027-03-22', '2027-03-22T19:30:00.000Z'],
      ['2027-03-24', '2027-03-24T19:30:00.000Z'],
    ],
  },
  {
    name: 'Berlin: summer time ends on Sunday 25 October 2026, a week before New York',
    zone: 'Europe/Berlin',
    term: ['2026-10-19', '2026-11-04'],
    closures: [
      ['2026-10-21', '2026-10-21'],
      ['2026-10-26', '2026-10-28'],
    ],
    window: ['2026-10-01', '2026-11-30'],
    expected: [
      ['2026-10-19', '2026-10-19T13:30:00.000Z'],
      ['2026-11-02', '2026-11-02T14:30:00.000Z'],
      ['2026-11-04', '2026-11-04T14:30:00.000Z'],
    ],
  },
  {
    name: 'a window inside the term: only its days (both ends included)',
    zone: 'America/New_York',
    term: ['2026-10-26', '2026-11-11'],
    closures: [
      ['2026-10-28', '2026-10-28'],
      ['2026-11-02', '2026-11-03'],
    ],
    window: ['2026-11-04', '2026-11-09'],
    expected: [
      ['2026-11-04', '2026-11-04T20:30:00.000Z'],
      ['2026-11-09', '2026-11-09T20:30:00.000Z'],
    ],
  },
  {
    name: 'a window before the term: none',
    zone: 'America/New_York',
    term: ['2026-10-26', '2026-11-11'],
    closures: [
      ['2026-10-28', '2026-10-28'],
      ['2026-11-02', '2026-11-03'],
    ],
    window: ['2026-09-01', '2026-10-25'],
    expected: [],
  },
];

describe('the meetings of a Monday/Wednesday activity over a term with two closures', () => {
  it.each(CASES)('$name', async ({ zone, term, closures, window, expected }) => {
    const activityId = await createActivity({
      days: ['monday', 'wednesday'],
      start: '15:30',
      end: '16:30',
      term,
    });
    const meetings = await withClosures(closures, () =>
      listMeetings(em(), activityId, window[0], window[1], zone),
    );
    expect(meetings.map((m) => [m.date, m.startsAt.toISOString()])).toEqual(expected);
    // An hour each, also across the change of clocks; none stored by listing them.
    expect(meetings.every((m) => m.endsAt.getTime() - m.startsAt.getTime() === 3_600_000)).toBe(true);
    expect(meetings.every((m) => m.id === null && !m.cancelled && !m.moved && !m.added)).toBe(true);
    const [{ count }] = (await run<{ count: number }>(
      `select count(*)::int as count from meeting where activity_id = ?`,
      [activityId],
    )) as [{ count: number }];
    expect(count).toBe(0);
  });
});

describe('changes to meetings', () => {
  const zone = 'America/New_York';
  const term: [string, string] = ['2026-10-26', '2026-11-11'];
  const mondaysAndWednesdays = () =>
    createActivity({ days: ['monday', 'wednesday'], start: '15:30', end: '16:30', term });

  it('marks a cancelled meeting and keeps it in the list; taking the cancellation back restores it', async () => {
    const activityId = await mondaysAndWednesdays();
    const cancelled = await setMeetingCancelled(em(), { activityId, scheduledOn: '2026-11-04' }, true, zone);
    expect(cancelled).toMatchObject({ date: '2026-11-04', cancelled: true, moved: false, added: false });
    const listed = await listMeetings(em(), activityId, '2026-11-02', '2026-11-08', zone);
    expect(listed.map((m) => [m.date, m.id, m.cancelled])).toEqual([
      ['2026-11-02', null, false],
      ['2026-11-04', cancelled.id, true],
    ]);
    const restored = await setMeetingCancelled(em(), { meetingId: cancelled.id! }, false, zone);
    expect(restored).toMatchObject({ id: cancelled.id, cancelled: false });
  });

  it('lists a moved meeting on its new day, once, marked moved, with the same id', async () => {
    const activityId = await mondaysAndWednesdays();
    const stored = await storedMeeting(em(), { activityId, scheduledOn: '2026-11-04' }, zone);
    const moved = await moveMeeting(
      em(),
      {
        meeting: { activityId, scheduledOn: '2026-11-04' },
        date: '2026-11-06',
        startTime: '14:00',
        endTime: '15:00',
      },
      zone,
    );
    expect(moved).toMatchObject({
      id: stored.id,
      scheduledOn: '2026-11-04',
      date: '2026-11-06',
      moved: true,
    });
    expect(moved.startsAt.toISOString()).toBe('2026-11-06T19:00:00.000Z');
    const wholeTerm = await listMeetings(em(), activityId, '2026-10-26', '2026-11-11', zone);
    expect(wholeTerm.map((m) => m.date)).toEqual([
      '2026-10-26',
      '2026-10-28',
      '2026-11-02',
      '2026-11-06',
      '2026-11-09',
      '2026-11-11',
    ]);
    // A window that holds only the original day no longer shows it.
    expect(await listMeetings(em(), activityId, '2026-11-04', '2026-11-05', zone)).toEqual([]);
  });

  it('adds one-off meetings, the only meetings of an activity with a free-text schedule', async () => {
    const freeText = await createActivity({});
    expect(await listMeetings(em(), freeText, '2026-01-01', '2026-12-31', zone)).toEqual([]);
    const added = await addMeeting(
      em(),
      { activityId: freeText, date: '2026-11-01', startTime: '09:00', endTime: '11:00' },
      zone,
    );
    expect(added).toMatchObject({ scheduledOn: null, date: '2026-11-01', added: true, moved: false });
    // 1 November 2026 is the day New York's clocks go back: 09:00 is already standard time.
    expect(added.startsAt.toISOString()).toBe('2026-11-01T14:00:00.000Z');
    const listed = await listMeetings(em(), freeText, '2026-11-01', '2026-11-01', zone);
    expect(listed.map((m) => m.id)).toEqual([added.id]);
  });

  it('stores a meeting of the schedule once, however many ask at once, and refuses a day it does not meet', async () => {
    const activityId = await mondaysAndWednesdays();
    const rows = await Promise.all(
      Array.from({ length: 8 }, () => storedMeeting(em(), { activityId, scheduledOn: '2026-11-09' }, zone)),
    );
    expect(new Set(rows.map((row) => row.id)).size).toBe(1);
    await expect(storedMeeting(em(), { activityId, scheduledOn: '2026-11-10' }, zone)).rejects.toThrow(
      NotFoundError,
    );
    await expect(storedMeeting(em(), { activityId, scheduledOn: '2026-11-16' }, zone)).rejects.toThrow(
      NotFoundError,
    );
    await withClosures([['2026-11-11', '2026-11-11']], async () => {
      await expect(storedMeeting(em(), { activityId, scheduledOn: '2026-11-11' }, zone)).rejects.toThrow(
        NotFoundError,
      );
    });
  });

  it('keeps a stored meeting that a closure added later would hide', async () => {
    const activityId = await mondaysAndWednesdays();
    const stored = await storedMeeting(em(), { activityId, scheduledOn: '2026-10-26' }, zone);
    await withClosures([['2026-10-26', '2026-10-26']], async () => {
      const listed = await listMeetings(em(), activityId, '2026-10-26', '2026-10-26', zone);
      expect(listed.map((m) => m.id)).toEqual([stored.id]);
      expect((await storedMeeting(em(), { activityId, scheduledOn: '2026-10-26' }, zone)).id).toBe(stored.id);
    });
  });
});
