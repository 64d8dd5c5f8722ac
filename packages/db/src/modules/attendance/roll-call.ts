import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AttendanceChangeDto,
  AttendanceMarkInput,
  AttendanceSource,
  AttendanceStatus,
  MeetingRef,
  RollCallDto,
} from '@mergington/contract';
import { RuleViolationError } from '../../errors.ts';
import { schoolTimeZone } from '../../env.ts';
import { pgArray, query, sql } from '../../sql.ts';
import { findMeeting, storedMeeting } from './meetings.ts';

interface RollCallRow {
  student_id: number;
  name: string;
  grade: number | null;
  status: AttendanceStatus | null;
  note: string | null;
  source: AttendanceSource | null;
  recorded_at: string | null;
  recorded_by: string | null;
  enrolled: boolean;
}

/**
 * A meeting's roll: every student enrolled in the activity now, and every student with a record of this
 * meeting (one who has withdrawn since stays, marked `withdrawn`), by name, with their status if recorded.
 */
export async function rollCall(
  em: EntityManager,
  ref: MeetingRef,
  zone: string = schoolTimeZone(),
): Promise<RollCallDto> {
  const meeting = await findMeeting(em, ref, zone);
  const [activity] = await query<{ name: string }>(
    em,
    sql`select name from activity where id = ${meeting.activityId}`,
  );
  const meetingId = meeting.id ?? 0;
  const rows = await query<RollCallRow>(
    em,
    sql`select s.id as student_id, s.name, s.grade, a.status, a.note, a.source, a.recorded_at,
               t.name as recorded_by, ap.id is not null as enrolled
          from student s
          left join activity_participant ap
            on ap.student_id = s.id and ap.activity_id = ${meeting.activityId} and ap.status = 'enrolled'
          left join attendance a on a.student_id = s.id and a.meeting_id = ${meetingId}
          left join teacher t on t.id = a.recorded_by_id
         where ap.id is not null or a.id is not null
         order by s.name, s.id`,
  );
  return {
    meeting: { ...meeting, activityName: activity!.name },
    students: rows.map((row) => ({
      studentId: row.student_id,
      name: row.name,
      grade: row.grade,
      status: row.status,
      note: row.note ?? '',
      source: row.source,
      recordedAt: row.recorded_at === null ? null : new Date(row.recorded_at),
      recordedBy: row.recorded_by,
      withdrawn: !row.enrolled,
    })),
  };
}

/** The upsert of roll-call marks: the latest write of a student's status wins; the trigger keeps the history. */
const upsertMarks = (meetingId: number, teacherId: number, marks: AttendanceMarkInput['marks']) => {
  const sorted = [...marks].sort((a, b) => a.studentId - b.studentId);
  // Rows are locked in student order, so two teachers' overlapping roll calls wait for each other, never deadlock.
  return sql`insert into attendance (meeting_id, student_id, status, note, source, recorded_by_id, recorded_at)
    select ${meetingId}, m.student_id, m.status, m.note, 'roll_call', ${teacherId}, clock_timestamp()
      from unnest(${pgArray(sorted.map((mark) => mark.studentId))}::int[],
                  ${pgArray(sorted.map((mark) => mark.status))}::text[],
                  ${pgArray(sorted.map((mark) => mark.note))}::text[]) as m(student_id, status, note)
     order by m.student_id
    on conflict (meeting_id, student_id) do update
       set status = excluded.status, note = excluded.note, source = excluded.source,
           recorded_by_id = excluded.recorded_by_id, recorded_at = clock_timestamp()`;
};

/** A meeting that takes attendance: stored now if it was not, and not cancelled. */
async function meetingForAttendance(em: EntityManager, ref: MeetingRef, zone: string) {
  const meeting = await storedMeeting(em, ref, zone);
  if (meeting.cancelled) throw new RuleViolationError('the meeting is cancelled: it takes no attendance');
  return meeting;
}

/** Sets the status of some students at a meeting (the roll call's exceptions, or corrections later). */
export async function markAttendance(
  em: EntityManager,
  teacherId: number,
  input: AttendanceMarkInput,
  zone: string = schoolTimeZone(),
): Promise<RollCallDto> {
  const meetingId = await em.transactional(async (tx) => {
    const meeting = await meetingForAttendance(tx, input.meeting, zone);
    const seen = new Set<number>();
    for (const mark of input.marks) {
      if (seen.has(mark.studentId)) {
        const [student] = await query<{ name: string }>(
          tx,
          sql`select name from student where id = ${mark.studentId}`,
        );
        throw new RuleViolationError(`${student?.name ?? 'A student'} is marked twice`);
      }
      seen.add(mark.studentId);
    }
    const statement = upsertMarks(meeting.id, teacherId, input.marks);
    await tx.execute(statement.text, [...statement.values]);
    return meeting.id;
  });
  return rollCall(em, { meetingId }, zone);
}

/** "Everyone present": every enrolled student without a status gets present; statuses already set stay. */
export async function markEveryonePresent(
  em: EntityManager,
  teacherId: number,
  ref: MeetingRef,
  zone: string = schoolTimeZone(),
): Promise<RollCallDto> {
  const meetingId = await em.transactional(async (tx) => {
    const meeting = await meetingForAttendance(tx, ref, zone);
    await tx.execute(
      `insert into attendance (meeting_id, student_id, status, source, recorded_by_id, recorded_at)
       select ?, ap.student_id, 'present', 'roll_call', ?, clock_timestamp()
         from activity_participant ap
        where ap.activity_id = ? and ap.status = 'enrolled'
        order by ap.student_id
       on conflict (meeting_id, student_id) do nothing`,
      [meeting.id, teacherId, meeting.activity_id],
    );
    return meeting.id;
  });
  return rollCall(em, { meetingId }, zone);
}

/** Every value the meeting's records have had, newest first: who set it and when. */
export async function attendanceHistory(
  em: EntityManager,
  ref: MeetingRef,
  zone: string = schoolTimeZone(),
): Promise<AttendanceChangeDto[]> {
  const meeting = await findMeeting(em, ref, zone);
  if (meeting.id === null) return [];
  const rows = await query<{
    student_id: number;
    student_name: string;
    status: AttendanceStatus;
    note: string;
    source: AttendanceSource;
    changed_by: string | null;
    changed_at: string;
  }>(
    em,
    sql`select a.student_id, s.name as student_name, c.status, c.note, c.source, t.name as changed_by, c.changed_at
          from attendance_change c
          join attendance a on a.id = c.attendance_id
          join student s on s.id = a.student_id
          left join teacher t on t.id = c.changed_by_id
         where a.meeting_id = ${meeting.id}
         order by c.changed_at desc, c.id desc`,
  );
  return rows.map((row) => ({
    studentId: row.student_id,
    studentName: row.student_name,
    status: row.status,
    note: row.note,
    source: row.source,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at),
  }));
}
