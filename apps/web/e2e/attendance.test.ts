// Issue 16: a teacher's roll call on a phone, a student's self check-in with the code on the teacher's screen,
// and where attendance then shows (My activities, the activity's Manage view, the follow-up list, the dashboard).
import { describe, expect, it } from 'vitest';
import { logIn, register, screenshot, useSite } from './harness.ts';

// The school's clock is set where it is midday now, so a meeting from 11:00 to 14:00 today is under way
// whenever the test runs (Etc/GMT-N is N hours east of UTC; the offsets run from -11 to +12).
const offset = 12 - new Date().getUTCHours();
const ZONE = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
const MEETING = { date: TODAY, startTime: '11:00', endTime: '14:00' };

// One unexcused absence puts a student on the follow-up list, so the roll call's absence shows there.
const site = await useSite({ SCHOOL_TIME_ZONE: ZONE, ATTENDANCE_ALERT_ABSENCES: '1' });
const { client: admin } = await site.asAdmin();
const PHONE = { width: 390, height: 844, timezoneId: ZONE };
const DESKTOP = { timezoneId: ZONE };

async function activityWith(name: string, students: { name: string; email: string }[]) {
  const activity = await admin.activities.create.mutate({ name, maxParticipants: 10 });
  for (const student of students) {
    const known = await admin.students.list.query({ search: student.email });
    if (known.total === 0) await admin.students.create.mutate({ ...student, grade: 10 });
    await admin.participants.add.mutate({ activityId: activity.id, email: student.email });
  }
  return activity;
}

const statusesOf = async (meetingId: number) =>
  (await admin.attendance.rollCall.query({ meeting: { meetingId } })).students.map((s) => [
    s.name,
    s.status,
    s.note,
    s.source,
  ]);

describe('issue 16: attendance', () => {
  it('a teacher on a phone adds a meeting, marks everyone present, then one absent and one excused with a note', async () => {
    const activity = await activityWith('Robotics', [
      { name: 'Ada Lovelace', email: 'ada.lovelace@mergington.edu' },
      { name: 'Ben Okafor', email: 'ben.okafor@mergington.edu' },
      { name: 'Cleo Park', email: 'cleo.park@mergington.edu' },
    ]);
    const page = await site.newPage(PHONE);
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await page.goto(`/activities/${activity.id}/manage/attendance`);
    await page.getByRole('link', { name: 'Meetings and roll call' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meetings of Robotics' }).waitFor();
    await page.getByText('No meetings in these weeks.').waitFor(); // a free-text schedule: none until added
    await page.getByLabel('Date').fill(MEETING.date);
    await page.getByLabel('Starts at').fill(MEETING.startTime);
    await page.getByLabel('Ends at').fill(MEETING.endTime);
    await page.getByRole('button', { name: 'Add meeting' }).click();
    const rollCallLink = page.getByRole('link', { name: /^Roll call for/ });
    await rollCallLink.waitFor();
    await page.getByText('Today', { exact: true }).waitFor();
    await screenshot(page, 'meetings-phone');

    await rollCallLink.click();
    await page.getByRole('heading', { level: 1, name: 'Roll call: Robotics' }).waitFor();
    const meetingId = Number(new URL(page.url()).searchParams.get('meeting'));
    const summary = page.getByTestId('roll-call-summary');
    await expect.poll(() => summary.textContent()).toBe('3 not marked');
    await page.getByRole('button', { name: 'Mark everyone present' }).click();
    await expect.poll(() => summary.textContent()).toBe('3 present');

    const ben = page.getByRole('group', { name: 'Ben Okafor' });
    await ben.getByRole('button', { name: 'Absent' }).click();
    await expect
      .poll(() => ben.getByRole('button', { name: 'Absent' }).getAttribute('aria-pressed'))
      .toBe('true');
    // Cleo by keyboard: the Excused button, then the note that appears for the exception, sent with Enter.
    const cleo = page.getByRole('group', { name: 'Cleo Park' });
    await cleo.getByRole('button', { name: 'Excused' }).focus();
    await page.keyboard.press('Enter');
    const note = page.getByLabel('Note for Cleo Park');
    await note.fill('Dentist appointment');
    await note.press('Enter');
    await expect.poll(() => summary.textContent()).toBe('1 present, 1 absent, 1 excused');
    await expect
      .poll(() => statusesOf(meetingId))
      .toEqual([
        ['Ada Lovelace', 'present', '', 'roll_call'],
        ['Ben Okafor', 'absent', '', 'roll_call'],
        ['Cleo Park', 'excused', 'Dentist appointment', 'roll_call'],
      ]);

    await page.getByText('Edit history').click();
    const history = page.getByTestId('history');
    await history.getByText('Cleo Park: Excused (Dentist appointment) · by Ms. Rodriguez').waitFor();
    expect(await history.getByRole('listitem').count()).toBe(6); // 3 present, then 3 changes
    await screenshot(page, 'roll-call-phone');

    // The activity's Manage view: Ben's unexcused absence in his row.
    await page.goto(`/activities/${activity.id}/manage/attendance`);
    const row = page
      .getByRole('table', { name: 'Attendance in Robotics per student' })
      .getByRole('row', { name: /Ben Okafor/ });
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual(['0%', '0', '0', '1', '0']);
  });

  it('a student checks in with the code read from the teacher screen; another opens the QR link and logs in; the teacher sees them arrive', async () => {
    const students = [
      { name: 'Dana Debate', email: 'dana.debate@mergington.edu' },
      { name: 'Quinn Scan', email: 'quinn.scan@mergington.edu' },
    ];
    const dana = await site.newPage(PHONE);
    await register(dana, students[0]!.email, students[0]!.name);
    await register(await site.newPage(PHONE), students[1]!.email, students[1]!.name);
    const activity = await activityWith('Debate', students);
    const meeting = await admin.meetings.add.mutate({ activityId: activity.id, ...MEETING });
    const meetingId = meeting.id!; // an added meeting is stored

    const teacher = await site.newPage(DESKTOP);
    await logIn(teacher, 'teacher', 'mrodriguez', 'art123');
    await teacher.goto(`/activities/${activity.id}/roll-call?meeting=${meetingId}`);
    // Late only after the meeting's end: whenever the test runs, an arrival counts as present.
    await teacher.getByLabel('Late after (minutes)').fill('240');
    await teacher.getByRole('button', { name: 'Open self check-in' }).click();
    const code = teacher.getByTestId('checkin-code');
    await code.waitFor();
    await teacher.getByRole('img', { name: 'QR code of the check-in link for Debate' }).waitFor();
    expect(await code.textContent()).toMatch(/^\d{6}$/);
    await screenshot(teacher, 'check-in-teacher');

    await dana.getByRole('link', { name: 'Check in' }).click();
    await dana.getByTestId('checkin-meeting').getByText('Debate').waitFor();
    await dana.getByLabel('Code shown by your teacher').fill((await code.textContent())!);
    await screenshot(dana, 'check-in-student-phone');
    await dana.getByRole('button', { name: 'Check in', exact: true }).click();
    await dana.getByText('You are checked in to Debate: present.').waitFor();
    await teacher.getByTestId('arrivals').getByText('Dana Debate').waitFor();

    // Quinn scans the QR code on a phone where they are not signed in: the link survives logging in.
    const link = (await teacher.getByTestId('checkin-link').textContent())!;
    expect(link).toMatch(new RegExp(`^${site.url}/check-in/${meetingId}\\?code=\\d{6}$`));
    const scanned = await site.newPage(PHONE);
    await scanned.goto(link);
    await scanned.getByLabel('Email').fill(students[1]!.email);
    await scanned.getByLabel('Password').fill('a good password');
    await scanned.getByRole('button', { name: 'Log in' }).click();
    const filledIn = scanned.getByLabel('Code shown by your teacher');
    await expect.poll(() => filledIn.inputValue()).toBe(new URL(link).searchParams.get('code'));
    await scanned.getByRole('button', { name: 'Check in', exact: true }).click();
    await scanned.getByText('You are checked in to Debate: present.').waitFor();
    await teacher.getByTestId('arrivals').getByText('Quinn Scan').waitFor();
    await expect
      .poll(() => statusesOf(meetingId))
      .toEqual([
        ['Dana Debate', 'present', '', 'check_in'],
        ['Quinn Scan', 'present', '', 'check_in'],
      ]);

    // The student's own record.
    await dana.goto('/me');
    const mine = dana
      .getByRole('table', { name: 'My attendance per activity' })
      .getByRole('row', { name: /Debate/ });
    await expect.poll(() => mine.getByRole('cell').allTextContents()).toEqual(['100%', '1', '0', '0', '0']);
    await screenshot(dana, 'my-attendance-phone');
  });

  it('an admin sees the follow-up list, adds and deletes a closure, and reads the weekly chart as a table', async () => {
    const page = await site.newPage(DESKTOP);
    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.getByRole('link', { name: 'Attendance', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Attendance' }).waitFor();
    const followUp = page
      .getByRole('table', { name: 'Students to follow up' })
      .getByRole('row', { name: /Ben Okafor/ });
    await expect
      .poll(() => followUp.getByRole('cell').allTextContents())
      .toEqual(['10', '1', expect.any(String), 'Robotics']);

    await page.getByLabel('First day').fill('2026-12-24');
    await page.getByLabel('Last day (optional)').fill('2027-01-01');
    await page.getByLabel('Reason (optional)').fill('Winter break');
    await page.getByRole('button', { name: 'Add closure' }).click();
    // A save says so, styled and read out (issue 20, item 6).
    await page
      .getByRole('status')
      .getByText(/^Closure saved: /)
      .waitFor();
    const closure = page.getByRole('row', { name: /Winter break/ });
    await closure.waitFor();
    expect((await admin.closures.list.query()).map((c) => [c.startsOn, c.endsOn, c.reason])).toEqual([
      ['2026-12-24', '2027-01-01', 'Winter break'],
    ]);
    await screenshot(page, 'attendance-follow-up');
    await closure.getByRole('button', { name: /^Delete/ }).click();
    await closure.getByRole('button', { name: /^Yes, delete/ }).click();
    await page.getByText('No closures.').waitFor();

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Attendance', exact: true }).waitFor();
    await page.getByText('Show the data of Attendance rate per week').click();
    const table = page.getByRole('table', { name: 'Attendance rate per week' });
    // This week: Ada present, Ben absent (Cleo's excused absence counts neither way), Dana and Quinn present.
    await expect
      .poll(() => table.getByRole('row').last().getByRole('cell').textContent())
      .toBe('75% (3 of 4)');
    expect(await table.getByRole('row').count()).toBe(13); // a heading and 12 weeks
    await screenshot(page, 'dashboard-attendance');
  });
});
