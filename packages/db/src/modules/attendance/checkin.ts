import type { EntityManager } from '@mikro-orm/postgresql';
import { Secret, TOTP } from 'otpauth';
import {
  type AttendanceStatus,
  CHECKIN_CODE_DIGITS,
  CHECKIN_STEP_SECONDS,
  type CheckinCodeDto,
  type CheckinResultDto,
  type MeetingRef,
} from '@mergington/contract';
import { NotAllowedError, RuleViolationError, TooManyGuessesError } from '../../errors.ts';
import { schoolTimeZone } from '../../env.ts';
import { query, sql } from '../../sql.ts';
import { storedMeeting } from './meetings.ts';

/** Self check-in: a TOTP of the meeting's own secret, taken one step late (a code read just before it changed). */
export const CHECKIN = {
  /** Steps of skew accepted either side of now. */
  window: 1,
  /** Check-in opens this long before the meeting starts and closes when it ends. */
  opensBeforeMinutes: 15,
  /** Wrong codes a student may send before their check-in locks (counted within `countingMinutes`)... */
  maxFailures: 20,
  countingMinutes: 15,
  /** ...and for how long it then stays locked. */
  lockMinutes: 15,
} as const;

const totpOf = (secret: string) =>
  new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: CHECKIN_CODE_DIGITS,
    period: CHECKIN_STEP_SECONDS,
  });

/** The link a QR code holds: the student's check-in screen, filled in. */
export const checkinPath = (meetingId: number, code: string) => `/check-in/${meetingId}?code=${code}`;

function currentCode(meetingId: number, secret: string, graceMinutes: number, now: Date): CheckinCodeDto {
  const code = totpOf(secret).generate({ timestamp: now.getTime() });
  const stepMs = CHECKIN_STEP_SECONDS * 1000;
  return {
    meetingId,
    code,
    validUntil: new Date((Math.floor(now.getTime() / stepMs) + 1) * stepMs),
    path: checkinPath(meetingId, code),
    graceMinutes,
  };
}

/**
 * Opens self check-in for a meeting (storing it if needed) and answers its current code. The secret is made
 * once per meeting: opening again (another teacher's screen) shows the same codes; the grace period is updated.
 */
export async function openCheckin(
  em: EntityManager,
  ref: MeetingRef,
  graceMinutes: number,
  now = new Date(),
  zone: string = schoolTimeZone(),
): Promise<CheckinCodeDto> {
  return em.transactional(async (tx) => {
    const meeting = await storedMeeting(tx, ref, zone);
    if (meeting.cancelled) throw new RuleViolationError('the meeting is cancelled');
    const [row] = await query<{ checkin_secret: string }>(
      tx,
      sql`update meeting set checkin_secret = coalesce(checkin_secret, ${new Secret({ size: 20 }).base32}),
                             checkin_grace_minutes = ${graceMinutes}
           where id = ${meeting.id} returning checkin_secret`,
    );
    return currentCode(meeting.id, row!.checkin_secret, graceMinutes, now);
  });
}

/** The code a teacher's screen shows now (it changes every 30 seconds). */
export async function checkinCode(
  em: EntityManager,
  meetingId: number,
  now = new Date(),
): Promise<CheckinCodeDto> {
  const [row] = await query<{ checkin_secret: string | null; checkin_grace_minutes: number }>(
    em,
    sql`select checkin_secret, checkin_grace_minutes from meeting where id = ${meetingId}`,
  );
  if (!row?.checkin_secret) throw new RuleViolationError('check-in is not open for this meeting');
  return currentCode(meetingId, row.checkin_secret, row.checkin_grace_minutes, now);
}

/** Closes check-in: every code of the meeting stops working (opening again makes a new secret). */
export async function closeCheckin(em: EntityManager, meetingId: number): Promise<void> {
  await em.execute(`update meeting set checkin_secret = null where id = ?`, [meetingId]);
}

interface CheckinMeetingRow {
  activity_id: number;
  activity_name: string;
  starts_at: string;
  ends_at: string;
  cancelled: boolean;
  checkin_secret: string | null;
  checkin_grace_minutes: number;
  enrolled: boolean;
}

type Outcome =
  { status: AttendanceStatus; activityName: string } | { wrongCode: true } | { lockedFor: number };

/**
 * A student checks in with the code shown: present, or late after the grace period. Refused for another
 * meeting's code, outside the meeting's window, or for a student not enrolled. Wrong codes are counted per
 * student under a row lock, so parallel guesses cannot pass the limit: the 20th locks check-in for a while.
 */
export async function checkIn(
  em: EntityManager,
  studentId: number,
  meetingId: number,
  code: string,
  now = new Date(),
): Promise<CheckinResultDto> {
  const outcome = await em.transactional(async (tx): Promise<Outcome> => {
    // Insert-or-touch takes the student's counter row lock for the rest of the transaction.
    const [throttle] = await query<{
      failures: number;
      window_started_at: string;
      locked_until: string | null;
    }>(
      tx,
      sql`insert into checkin_throttle (student_id, window_started_at) values (${studentId}, ${now})
          on conflict (student_id) do update set student_id = excluded.student_id
          returning failures, window_started_at, locked_until`,
    );
    const lockedUntil = throttle!.locked_until ? new Date(throttle!.locked_until) : null;
    if (lockedUntil && lockedUntil > now)
      return { lockedFor: (lockedUntil.getTime() - now.getTime()) / 1000 };

    const [meeting] = await query<CheckinMeetingRow>(
      tx,
      sql`select m.activity_id, a.name as activity_name, m.starts_at, m.ends_at, m.cancelled, m.checkin_secret,
                 m.checkin_grace_minutes,
                 exists (select 1 from activity_participant ap where ap.activity_id = m.activity_id
                            and ap.student_id = ${studentId} and ap.status = 'enrolled') as enrolled
            from meeting m join activity a on a.id = m.activity_id where m.id = ${meetingId}`,
    );
    const startsAt = meeting ? new Date(meeting.starts_at) : null;
    const opensAt = startsAt && new Date(startsAt.getTime() - CHECKIN.opensBeforeMinutes * 60_000);
    if (
      !meeting ||
      !meeting.checkin_secret ||
      meeting.cancelled ||
      now < opensAt! ||
      now > new Date(meeting.ends_at)
    ) {
      throw new RuleViolationError('check-in is not open for this meeting now');
    }
    if (!meeting.enrolled) throw new NotAllowedError('only students enrolled in the activity can check in');

    if (
      totpOf(meeting.checkin_secret).validate({
        token: code,
        timestamp: now.getTime(),
        window: CHECKIN.window,
      }) === null
    ) {
      const windowStart = new Date(throttle!.window_started_at);
      const fresh = now.getTime() - windowStart.getTime() > CHECKIN.countingMinutes * 60_000;
      const failures = (fresh ? 0 : throttle!.failures) + 1;
      const locks = failures >= CHECKIN.maxFailures;
      await query(
        tx,
        sql`update checkin_throttle
               set failures = ${locks ? 0 : failures},
                   window_started_at = ${fresh ? now : windowStart},
                   locked_until = ${locks ? new Date(now.getTime() + CHECKIN.lockMinutes * 60_000) : null}
             where student_id = ${studentId}`,
      );
      return { wrongCode: true };
    }

    const late = now.getTime() > startsAt!.getTime() + meeting.checkin_grace_minutes * 60_000;
    // A teacher's "absent" gives way to an arrival; any other status a teacher set stays.
    const [record] = await query<{ status: AttendanceStatus }>(
      tx,
      sql`with arrival as (
            insert into attendance (meeting_id, student_id, status, source, recorded_at)
            values (${meetingId}, ${studentId}, ${late ? 'late' : 'present'}, 'check_in', ${now})
            on conflict (meeting_id, student_id) do update
               set status = excluded.status, note = '', source = excluded.source, recorded_by_id = null,
                   recorded_at = excluded.recorded_at
             where attendance.status = 'absent'
            returning status)
          select status, 1 as source from arrival
          union all
          select status, 2 from attendance where meeting_id = ${meetingId} and student_id = ${studentId}
          order by source limit 1`,
    );
    await query(tx, sql`update checkin_throttle set failures = 0 where student_id = ${studentId}`);
    return { status: record!.status, activityName: meeting.activity_name };
  });
  if ('lockedFor' in outcome) throw new TooManyGuessesError(outcome.lockedFor);
  if ('wrongCode' in outcome) throw new RuleViolationError('that is not the code shown for this meeting');
  return { meetingId, activityName: outcome.activityName, status: outcome.status };
}
