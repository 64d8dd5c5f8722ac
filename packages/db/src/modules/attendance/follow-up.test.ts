import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { activityAttendance, absenceAlerts, studentAttendance, weeklyAttendance } from './follow-up.ts';
import { addMeeting, setMeetingCancelled } from './meetings.ts';
import { markAttendance } from './roll-call.ts';

const { orm } = await useTestDatabase();
const em = () => orm.em.fork();
const run = <T extends object = object>(text: string, params: unknown[] = []) =>
  em().getConnection().execute<T[]>(text, params);
const zone = 'America/New_York';

const [teacher] = await run<{ id: number }>(
  `insert into teacher (email, username, name, password_hash) values ('f@mergington.edu', 'f', 'F', 'x') returning id`,
);
const [activity] = await run<{ id: number }>(
  `insert into activity (name, max_participants) values ('Follow-up', 10) returning id`,
);
const students = await run<{ id: number }>(
  `insert into student (email, name, grade) values ('ann@mergington.edu', 'Ann', 9), ('ben@mergington.edu', 'Ben', 10)
   returning id`,
);
const [ann, ben] = students.map((row) => row.id) as [number, number];
for (const id of [ann, ben]) {
  await run(`insert into activity_participant (activity_id, student_id, status) values (?, ?, 'enrolled')`, [
    activity!.id,
    id,
  ]);
}
// Four Wednesdays of November 2026 (weeks of 2, 9, 16 and 23 November): Ann is absent, absent, present,
// absent; Ben present, late, excused, present; the last meeting is then cancelled (its records stop
// counting).
const dates = ['2026-11-04', '2026-11-11', '2026-11-18', '2026-11-25'];
const meetings = [];
for (const date of dates) {
  meetings.push(
    await addMeeting(em(), { activityId: activity!.id, date, startTime: '15:30', endTime: '16:30' }, zone),
  );
}
const annStatuses = ['absent', 'absent', 'present', 'absent'] as const;
const benStatuses = ['present', 'late', 'excused', 'present'] as const;
for (const [index, meeting] of meetings.entries()) {
  await markAttendance(
    em(),
    teacher!.id,
    {
      meeting: { meetingId: meeting.id! },
      marks: [
        { studentId: ann, status: annStatuses[index]!, note: '' },
        { studentId: ben, status: benStatuses[index]!, note: index === 2 ? 'doctor' : '' },
      ],
    },
    zone,
  );
}
await setMeetingCancelled(em(), { meetingId: meetings[3]!.id! }, true, zone);
const now = new Date('2026-11-30T12:00:00Z');

describe('attendance follow-up', () => {
  it('counts rates and unexcused absences per activity and per student, leaving out cancelled meetings', async () => {
    const perActivity = await activityAttendance(em(), activity!.id);
    expect(perActivity.students.map((s) => [s.name, s.totals])).toEqual([
      ['Ann', { present: 1, late: 0, absent: 2, excused: 0, rate: 1 / 3 }],
      ['Ben', { present: 1, late: 1, absent: 0, excused: 1, rate: 1 }],
    ]);
    expect(perActivity.totals).toEqual({ present: 2, late: 1, absent: 2, excused: 1, rate: 3 / 5 });
    const own = await studentAttendance(em(), ben);
    expect(own.totals.rate).toBe(1);
    expect(own.records.map((r) => [r.startsAt.toISOString().slice(0, 10), r.status, r.note])).toEqual([
      ['2026-11-18', 'excused', 'doctor'],
      ['2026-11-11', 'late', ''],
      ['2026-11-04', 'present', ''],
    ]);
  });

  it('lists the students at or over the threshold, within its days', async () => {
    expect((await absenceAlerts(em(), { absences: 2, days: 30 }, now)).students).toMatchObject([
      { studentId: ann, name: 'Ann', unexcused: 2, activities: ['Follow-up'] },
    ]);
    expect((await absenceAlerts(em(), { absences: 3, days: 30 }, now)).students).toEqual([]);
    // 15 days back from 30 November reaches the 18th only: Ann's absences were on the 4th and 11th.
    expect((await absenceAlerts(em(), { absences: 1, days: 15 }, now)).students).toEqual([]);
  });

  it('gives the rate per week, Monday to Sunday on the school’s clock, empty weeks included', async () => {
    expect(await weeklyAttendance(em(), 6, now, zone)).toEqual([
      { week: '2026-10-26', attended: 0, counted: 0, rate: null },
      { week: '2026-11-02', attended: 1, counted: 2, rate: 0.5 },
      { week: '2026-11-09', attended: 1, counted: 2, rate: 0.5 },
      { week: '2026-11-16', attended: 1, counted: 1, rate: 1 },
      { week: '2026-11-23', attended: 0, counted: 0, rate: null },
      { week: '2026-11-30', attended: 0, counted: 0, rate: null },
    ]);
  });
});
