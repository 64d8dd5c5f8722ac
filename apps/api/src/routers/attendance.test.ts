import { describe, expect, it } from 'vitest';
import { schoolDay, schoolTimeZone } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudentCaller, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);

describe('roll call and check-in over the API', () => {
  it('a student checks in with the code the teacher’s screen shows; the teacher sees the arrival in the roll call', async () => {
    const activity = await teacher.activities.create({ name: 'Robotics', maxParticipants: 5 });
    const arriving = await createTestStudentCaller(orm, { name: 'Ada Arrives' });
    const missing = await createTestStudentCaller(orm, { name: 'Bo Missing' });
    for (const student of [arriving, missing]) {
      await teacher.participants.add({ activityId: activity.id, email: student.user.email });
    }
    const meeting = await teacher.meetings.add({
      activityId: activity.id,
      date: schoolDay(new Date(), schoolTimeZone()),
      startTime: '00:00',
      endTime: '23:59',
    });
    const ref = { meetingId: meeting.id! };
    const opened = await teacher.checkin.open({ meeting: ref, graceMinutes: 240 });
    await expect(
      arriving.caller.checkin.submit({ meetingId: ref.meetingId, code: 'abc' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const { code } = await teacher.checkin.code(ref);
    const result = await arriving.caller.checkin.submit({ meetingId: ref.meetingId, code });
    expect(result).toMatchObject({ meetingId: ref.meetingId, activityName: 'Robotics' });
    expect(opened.path).toMatch(new RegExp(`^/check-in/${ref.meetingId}\\?code=\\d{6}$`));
    const roll = await teacher.attendance.rollCall({ meeting: ref });
    expect(roll.students.map((s) => [s.name, s.source])).toEqual([
      ['Ada Arrives', 'check_in'],
      ['Bo Missing', null],
    ]);
    await teacher.attendance.mark({
      meeting: ref,
      marks: [{ studentId: missing.user.id, status: 'absent', note: '' }],
    });
    const history = await teacher.attendance.history({ meeting: ref });
    expect(history.map((h) => [h.studentName, h.status, h.source])).toEqual([
      ['Bo Missing', 'absent', 'roll_call'],
      ['Ada Arrives', result.status, 'check_in'],
    ]);
  });
});
