import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { NotAllowedError, RuleViolationError, TooManyGuessesError } from '../../errors.ts';
import { CHECKIN, checkIn, checkinCode, closeCheckin, openCheckin } from './checkin.ts';
import { addMeeting } from './meetings.ts';
import { attendanceHistory, markAttendance, markEveryonePresent, rollCall } from './roll-call.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const em = () => orm.em.fork();
const run = <T extends object = object>(text: string, params: unknown[] = []) =>
  em().getConnection().execute<T[]>(text, params);
const zone = 'America/New_York';

let n = 0;
async function teacher(): Promise<{ id: number; name: string }> {
  const name = `Teacher ${++n}`;
  const [row] = await run<{ id: number }>(
    `insert into teacher (email, username, name, password_hash) values (?, ?, ?, 'x') returning id`,
    [`t${n}@mergington.edu`, `t${n}`, name],
  );
  return { id: row!.id, name };
}

/** An activity with `size` enrolled students and a one-off meeting 15:30-16:30 New York time on 2026-11-04. */
async function activityWithMeeting(size: number) {
  const [activity] = await run<{ id: number }>(
    `insert into activity (name, max_participants) values (?, 100) returning id`,
    [`Attendance ${++n}`],
  );
  const students = await run<{ id: number }>(
    `insert into student (email, name, grade)
     select 'a' || ? || '-' || i || '@mergington.edu', 'Student ' || lpad(i::text, 3, '0'), 10
       from generate_series(1, ?) i returning id`,
    [n, size],
  );
  const studentIds = students.map((row) => row.id).sort((a, b) => a - b);
  for (const id of studentIds) {
    await run(
      `insert into activity_participant (activity_id, student_id, status) values (?, ?, 'enrolled')`,
      [activity!.id, id],
    );
  }
  const meeting = await addMeeting(
    em(),
    { activityId: activity!.id, date: '2026-11-04', startTime: '15:30', endTime: '16:30' },
    zone,
  );
  return { activityId: activity!.id, meetingId: meeting.id!, studentIds, startsAt: meeting.startsAt };
}

const statusesOf = async (meetingId: number) =>
  Object.fromEntries(
    (await rollCall(em(), { meetingId }, zone)).students.map((entry) => [entry.studentId, entry.status]),
  );

describe('roll call', () => {
  it('marks everyone present, then the exceptions, keeping who changed what', async () => {
    const { meetingId, studentIds } = await activityWithMeeting(4);
    const [a, b, c, d] = studentIds as [number, number, number, number];
    const first = await teacher();
    const second = await teacher();
    await markAttendance(
      em(),
      first.id,
      { meeting: { meetingId }, marks: [{ studentId: a, status: 'late', note: '' }] },
      zone,
    );
    await markEveryonePresent(em(), first.id, { meetingId }, zone);
    // "Everyone present" fills the gaps only: the late one stays late.
    expect(await statusesOf(meetingId)).toEqual({
      [a]: 'late',
      [b]: 'present',
      [c]: 'present',
      [d]: 'present',
    });
    const roll = await markAttendance(
      em(),
      second.id,
      {
        meeting: { meetingId },
        marks: [
          { studentId: b, status: 'absent', note: '' },
          { studentId: c, status: 'excused', note: 'dentist' },
        ],
      },
      zone,
    );
    expect(roll.students.find((s) => s.studentId === c)).toMatchObject({
      status: 'excused',
      note: 'dentist',
      source: 'roll_call',
      recordedBy: second.name,
    });
    const history = await attendanceHistory(em(), { meetingId }, zone);
    expect(history.filter((h) => h.studentId === b).map((h) => [h.status, h.changedBy])).toEqual([
      ['absent', second.name],
      ['present', first.name],
    ]);
    expect(history).toHaveLength(6);
  });

  it('refuses in the database a record for a student not enrolled, and keeps a withdrawn student’s records', async () => {
    const { meetingId, studentIds, activityId } = await activityWithMeeting(2);
    const [stays, leaves] = studentIds as [number, number];
    const [outsider] = await run<{ id: number }>(
      `insert into student (email, name) values ('outsider-${n}@mergington.edu', 'Outsider') returning id`,
    );
    await expect(
      run(
        `insert into attendance (meeting_id, student_id, status, source) values (?, ?, 'present', 'roll_call')`,
        [meetingId, outsider!.id],
      ),
    ).rejects.toMatchObject({ constraint: 'attendance_student_enrolled' });
    await expect(
      run(
        `insert into attendance (meeting_id, student_id, status, source) values (?, ?, 'present', 'roll_call')`,
        [meetingId, leaves],
      ).then(() =>
        run(
          `insert into attendance (meeting_id, student_id, status, source) values (?, ?, 'late', 'roll_call')`,
          [meetingId, leaves],
        ),
      ),
    ).rejects.toMatchObject({ constraint: 'attendance_once' });
    await run(`delete from activity_participant where activity_id = ? and student_id = ?`, [
      activityId,
      leaves,
    ]);
    const roll = await rollCall(em(), { meetingId }, zone);
    expect(roll.students.map((s) => [s.studentId, s.status, s.withdrawn])).toEqual([
      [stays, null, false],
      [leaves, 'present', true],
    ]);
    // Their record can still be corrected; no new one can be made for them.
    await markAttendance(
      em(),
      (await teacher()).id,
      { meeting: { meetingId }, marks: [{ studentId: leaves, status: 'excused', note: 'moved away' }] },
      zone,
    );
    expect((await statusesOf(meetingId))[leaves]).toBe('excused');
    const other = await addMeeting(
      em(),
      { activityId, date: '2026-11-05', startTime: '15:30', endTime: '16:30' },
      zone,
    );
    await expect(
      markAttendance(
        em(),
        (await teacher()).id,
        { meeting: { meetingId: other.id! }, marks: [{ studentId: leaves, status: 'absent', note: '' }] },
        zone,
      ),
    ).rejects.toMatchObject({ constraint: 'attendance_student_enrolled' });
  });

  it('concurrent edits by two teachers: the last write wins per student, and both are in the history', async () => {
    const { meetingId, studentIds } = await activityWithMeeting(30);
    const [first, second] = [await teacher(), await teacher()];
    for (let round = 0; round < 3; round++) {
      // Two full roll calls at once, one in reverse order, with opposite answers.
      await Promise.all([
        markAttendance(
          em(),
          first.id,
          {
            meeting: { meetingId },
            marks: studentIds.map((studentId) => ({ studentId, status: 'absent', note: '' })),
          },
          zone,
        ),
        markAttendance(
          em(),
          second.id,
          {
            meeting: { meetingId },
            marks: [...studentIds].reverse().map((studentId) => ({ studentId, status: 'present', note: '' })),
          },
          zone,
        ),
      ]);
      const statuses = await statusesOf(meetingId);
      const history = await attendanceHistory(em(), { meetingId }, zone);
      for (const studentId of studentIds) {
        const changes = history.filter((h) => h.studentId === studentId);
        // Newest first: this round's two writes, one by each teacher...
        expect(changes).toHaveLength(2 * (round + 1));
        expect(
          changes
            .slice(0, 2)
            .map((h) => h.changedBy)
            .sort(),
        ).toEqual([first.name, second.name].sort());
        // ...and the status kept is the one written last.
        expect(statuses[studentId]).toBe(changes[0]!.status);
      }
    }
  });
});

describe('self check-in', () => {
  const minutes = (base: Date, count: number) => new Date(base.getTime() + count * 60_000);
  /** The secret a meeting's codes come from, to make codes of other steps than now's. */
  const codeAt = async (meetingId: number, at: Date) => {
    const [row] = await run<{ checkin_secret: string }>(`select checkin_secret from meeting where id = ?`, [
      meetingId,
    ]);
    return new TOTP({ secret: Secret.fromBase32(row!.checkin_secret), digits: 6, period: 30 }).generate({
      timestamp: at.getTime(),
    });
  };

  it('takes the code of the previous 30-second step, not the one before; present, then late after the grace period', async () => {
    const { meetingId, studentIds, startsAt } = await activityWithMeeting(3);
    const [early, onTime, tooOld] = studentIds as [number, number, number];
    const now = minutes(startsAt, 5);
    const opened = await openCheckin(em(), { meetingId }, 10, now, zone);
    expect(opened.code).toMatch(/^\d{6}$/);
    expect(opened.path).toBe(`/check-in/${meetingId}?code=${opened.code}`);
    expect((await checkinCode(em(), meetingId, now)).code).toBe(opened.code);
    expect(await checkIn(em(), early, meetingId, opened.code, now)).toMatchObject({ status: 'present' });
    // A code read just before it changed still works one step later...
    const afterGrace = minutes(startsAt, 15);
    const previous = await codeAt(meetingId, new Date(afterGrace.getTime() - 30_000));
    expect(await checkIn(em(), onTime, meetingId, previous, afterGrace)).toMatchObject({ status: 'late' });
    // ...but not two steps later.
    const stale = await codeAt(meetingId, new Date(now.getTime() - 60_000));
    await expect(checkIn(em(), tooOld, meetingId, stale, now)).rejects.toThrow('not the code shown');
  });

  it('never takes the code of another meeting, nor outside the window, nor from a student not enrolled', async () => {
    const one = await activityWithMeeting(1);
    const other = await activityWithMeeting(1);
    const now = minutes(one.startsAt, 1);
    await openCheckin(em(), { meetingId: one.meetingId }, 10, now, zone);
    const otherCode = (await openCheckin(em(), { meetingId: other.meetingId }, 10, now, zone)).code;
    const student = one.studentIds[0]!;
    // Another meeting's code, over several steps (a coincidence of two secrets' codes is ~1 in a million).
    for (let step = 0; step < 5; step++) {
      const at = new Date(now.getTime() + step * 30_000);
      const code = await codeAt(other.meetingId, at);
      if (code === (await codeAt(one.meetingId, at))) continue;
      await expect(checkIn(em(), student, one.meetingId, code, at)).rejects.toThrow('not the code shown');
    }
    expect(otherCode).toMatch(/^\d{6}$/);
    const code = async (at: Date) => codeAt(one.meetingId, at);
    const before = minutes(one.startsAt, -(CHECKIN.opensBeforeMinutes + 1));
    await expect(checkIn(em(), student, one.meetingId, await code(before), before)).rejects.toThrow(
      RuleViolationError,
    );
    const after = minutes(one.startsAt, 61);
    await expect(checkIn(em(), student, one.meetingId, await code(after), after)).rejects.toThrow(
      RuleViolationError,
    );
    await expect(checkIn(em(), other.studentIds[0]!, one.meetingId, await code(now), now)).rejects.toThrow(
      NotAllowedError,
    );
    // Closed, its codes stop working.
    await closeCheckin(em(), one.meetingId);
    await expect(
      checkIn(em(), student, one.meetingId, await code(now).catch(() => '000000'), now),
    ).rejects.toThrow(RuleViolationError);
  });

  it('20 wrong codes lock that student’s check-in for a while, also when they arrive at once', async () => {
    const { meetingId, studentIds, startsAt } = await activityWithMeeting(2);
    const [guesser, classmate] = studentIds as [number, number];
    const now = minutes(startsAt, 2);
    const { code } = await openCheckin(em(), { meetingId }, 10, now, zone);
    const wrong = code === '000000' ? '000001' : '000000';
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        checkIn(em(), guesser, meetingId, wrong, now).then(
          () => 'ok',
          (error: Error) => (error instanceof TooManyGuessesError ? 'locked' : 'wrong'),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'wrong')).toHaveLength(CHECKIN.maxFailures);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(30 - CHECKIN.maxFailures);
    // Locked: even the right code is refused, for that student only, until the lock ends.
    await expect(checkIn(em(), guesser, meetingId, code, now)).rejects.toThrow(TooManyGuessesError);
    expect(await checkIn(em(), classmate, meetingId, code, now)).toMatchObject({ status: 'present' });
    const later = minutes(now, CHECKIN.lockMinutes + 1);
    const fresh = await codeAt(meetingId, later);
    expect(await checkIn(em(), guesser, meetingId, fresh, later)).toMatchObject({ status: 'late' });
  });
});
