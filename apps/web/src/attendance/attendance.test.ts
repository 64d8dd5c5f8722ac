import { describe, expect, it } from 'vitest';
import {
  addDays,
  checkinOpenNow,
  checkinUrl,
  rateText,
  refFromSearch,
  rollCallHref,
  rollCallSummary,
} from './attendance.ts';

describe('a roll call in one line', () => {
  it('counts each status and those not marked, leaving out what nobody has', () => {
    expect(rollCallSummary(['present', 'present', 'absent', null, 'excused', null])).toBe(
      '2 present, 1 absent, 1 excused, 2 not marked',
    );
    expect(rollCallSummary([null, null])).toBe('2 not marked');
    expect(rollCallSummary([])).toBe('Nobody is enrolled.');
  });
});

describe('a rate', () => {
  it('says what it is made of: present and late out of the meetings that count', () => {
    expect(rateText({ present: 9, late: 2, absent: 1, excused: 3, rate: 11 / 12 })).toBe('92% (11 of 12)');
    expect(rateText({ present: 0, late: 0, absent: 0, excused: 2, rate: null })).toBe(
      'No meetings counted yet',
    );
  });
});

describe('which meeting a roll call is about', () => {
  it('is named by its id once stored, else by its activity and date, and read back from the address', () => {
    const stored = rollCallHref({ id: 12, activityId: 3, scheduledOn: '2026-12-01' });
    expect(stored).toBe('/activities/3/roll-call?meeting=12');
    const unstored = rollCallHref({ id: null, activityId: 3, scheduledOn: '2026-12-01' });
    expect(unstored).toBe('/activities/3/roll-call?on=2026-12-01');
    expect(refFromSearch(3, stored.split('?')[1]!)).toEqual({ meetingId: 12 });
    expect(refFromSearch(3, unstored.split('?')[1]!)).toEqual({ activityId: 3, scheduledOn: '2026-12-01' });
  });

  it('is none for a hand-edited address', () => {
    for (const search of ['', 'meeting=abc', 'meeting=-4', 'meeting=99999999999', 'on=tomorrow'])
      expect(refFromSearch(3, search)).toBeNull();
  });
});

describe('days', () => {
  it('are added on the calendar, across months, years and daylight-saving changes', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(addDays('2027-03-13', 1)).toBe('2027-03-14');
    expect(addDays('2027-03-14', 1)).toBe('2027-03-15');
  });
});

describe('meetings a student can check in to', () => {
  const at = (time: string) => new Date(`2026-12-01T${time}:00Z`);
  const meeting = { checkinOpen: true, cancelled: false, startsAt: at('15:30'), endsAt: at('17:00') };

  it('take codes from 15 minutes before the start until the end, while check-in is open', () => {
    expect(checkinOpenNow([meeting], at('15:14'))).toEqual([]);
    expect(checkinOpenNow([meeting], at('15:15'))).toEqual([meeting]);
    expect(checkinOpenNow([meeting], at('17:00'))).toEqual([meeting]);
    expect(checkinOpenNow([meeting], at('17:01'))).toEqual([]);
    expect(checkinOpenNow([{ ...meeting, checkinOpen: false }], at('16:00'))).toEqual([]);
    expect(checkinOpenNow([{ ...meeting, cancelled: true }], at('16:00'))).toEqual([]);
  });

  it('have a link on this site, under the base the app is served at', () => {
    expect(checkinUrl('https://school.example', '/app', '/check-in/7?code=123456')).toBe(
      'https://school.example/app/check-in/7?code=123456',
    );
  });
});
