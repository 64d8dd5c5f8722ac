import { ATTENDANCE_STATUSES, type AttendanceStatus } from '@mergington/contract/constants';
import {
  CHECKIN_OPENS_BEFORE_MINUTES,
  type AttendanceTotals,
  type MeetingDto,
  type MeetingRef,
} from '../lib/shared.ts';

// What the attendance screens work out from the API's answers: wording, counts, days and links.

export const STATUS_LABELS: Record<AttendanceStatus, string> = {
  present: 'Present',
  late: 'Late',
  absent: 'Absent',
  excused: 'Excused',
};

/** "12 present, 1 late, 1 absent, 2 not marked": a roll call's state in one line, zeros left out. */
export function rollCallSummary(statuses: readonly (AttendanceStatus | null)[]): string {
  const parts = ATTENDANCE_STATUSES.map((status) => {
    const count = statuses.filter((s) => s === status).length;
    return count ? `${count} ${status}` : null;
  });
  const unmarked = statuses.filter((s) => s === null).length;
  if (unmarked) parts.push(`${unmarked} not marked`);
  const said = parts.filter(Boolean).join(', ');
  return said || 'Nobody is enrolled.';
}

/** "92%", or "–" when no meeting counts yet. */
export const formatRate = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

/** A rate with what it is made of: "92% (11 of 12)". */
export function rateText(totals: AttendanceTotals): string {
  const counted = totals.present + totals.late + totals.absent;
  if (totals.rate === null) return 'No meetings counted yet';
  return `${formatRate(totals.rate)} (${totals.present + totals.late} of ${counted})`;
}

// ---- days: "YYYY-MM-DD" on the browser's calendar (the school's, for the people who use these screens)

const pad = (n: number) => String(n).padStart(2, '0');
export const dayOf = (date: Date) =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
export const timeOf = (date: Date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return dayOf(new Date(y!, m! - 1, d! + days));
}

// ---- which meeting a screen is about

/** The API's name of a meeting: its id once stored, else its activity and the schedule's date. */
export function meetingRef(meeting: Pick<MeetingDto, 'id' | 'activityId' | 'scheduledOn'>): MeetingRef {
  if (meeting.id !== null) return { meetingId: meeting.id };
  return { activityId: meeting.activityId, scheduledOn: meeting.scheduledOn! };
}

/** The roll call's address: `/activities/3/roll-call?meeting=12`, or `?on=2026-12-01` for one not stored yet. */
export function rollCallHref(meeting: Pick<MeetingDto, 'id' | 'activityId' | 'scheduledOn'>): string {
  const ref = meetingRef(meeting);
  const search = 'meetingId' in ref ? `meeting=${ref.meetingId}` : `on=${ref.scheduledOn}`;
  return `/activities/${meeting.activityId}/roll-call?${search}`;
}

/** The meeting a roll call's address names, or null when it names none. */
export function refFromSearch(activityId: number, search: string): MeetingRef | null {
  const params = new URLSearchParams(search);
  const id = Number(params.get('meeting'));
  if (Number.isInteger(id) && id > 0 && id <= 2_147_483_647) return { meetingId: id };
  const on = params.get('on') ?? '';
  return /^\d{4}-\d{2}-\d{2}$/.test(on) ? { activityId, scheduledOn: on } : null;
}

/** The meetings a student can check in to now: check-in open, not cancelled, within the meeting's window. */
export function checkinOpenNow<
  M extends Pick<MeetingDto, 'checkinOpen' | 'cancelled' | 'startsAt' | 'endsAt'>,
>(meetings: readonly M[], now: Date): M[] {
  return meetings.filter(
    (meeting) =>
      meeting.checkinOpen &&
      !meeting.cancelled &&
      meeting.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MINUTES * 60_000 <= now.getTime() &&
      now.getTime() <= meeting.endsAt.getTime(),
  );
}

/** What a QR code holds: the API's path of the check-in screen, on this site (and under its base, e.g. /app). */
export const checkinUrl = (origin: string, base: string, path: string) => `${origin}${base}${path}`;
