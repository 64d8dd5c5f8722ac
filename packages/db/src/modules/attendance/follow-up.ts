import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AbsenceAlertDto,
  ActivityAttendanceDto,
  AttendanceStatus,
  AttendanceTotals,
  StudentAttendanceDto,
  WeeklyAttendanceDto,
} from '@mergington/contract';
import { NotFoundError } from '../../errors.ts';
import { schoolTimeZone } from '../../env.ts';
import { query, sql } from '../../sql.ts';

// Follow-up counts the records of meetings that took place (not cancelled). The rate is present or late out of
// present, late and absent: an excused absence counts neither way. "Unexcused" is absent.

interface TotalsRow {
  present: number;
  late: number;
  absent: number;
  excused: number;
}

const TOTALS = sql`count(*) filter (where at.status = 'present')::int as present,
  count(*) filter (where at.status = 'late')::int as late,
  count(*) filter (where at.status = 'absent')::int as absent,
  count(*) filter (where at.status = 'excused')::int as excused`;

function toTotals(row: TotalsRow | undefined): AttendanceTotals {
  const { present = 0, late = 0, absent = 0, excused = 0 } = row ?? {};
  const counted = present + late + absent;
  return { present, late, absent, excused, rate: counted ? (present + late) / counted : null };
}

/** An activity's attendance: in all, and per student (enrolled now, or with records). */
export async function activityAttendance(
  em: EntityManager,
  activityId: number,
): Promise<ActivityAttendanceDto> {
  const [exists] = await query<{ id: number }>(em, sql`select id from activity where id = ${activityId}`);
  if (!exists) throw new NotFoundError('activity', activityId);
  const rows = await query<TotalsRow & { student_id: number; name: string; enrolled: boolean }>(
    em,
    sql`select s.id as student_id, s.name, bool_or(ap.id is not null) as enrolled, ${TOTALS}
          from student s
          left join activity_participant ap
            on ap.student_id = s.id and ap.activity_id = ${activityId} and ap.status = 'enrolled'
          left join (attendance at join meeting m on m.id = at.meeting_id and not m.cancelled)
            on at.student_id = s.id and m.activity_id = ${activityId}
         where ap.id is not null or at.id is not null
         group by s.id, s.name
         order by s.name, s.id`,
  );
  const sum = (key: keyof TotalsRow) => rows.reduce((total, row) => total + row[key], 0);
  return {
    activityId,
    totals: toTotals({
      present: sum('present'),
      late: sum('late'),
      absent: sum('absent'),
      excused: sum('excused'),
    }),
    students: rows.map((row) => ({
      studentId: row.student_id,
      name: row.name,
      withdrawn: !row.enrolled,
      totals: toTotals(row),
    })),
  };
}

/** A student's own record: in all, per activity, and each meeting (latest first, the last 200). */
export async function studentAttendance(em: EntityManager, studentId: number): Promise<StudentAttendanceDto> {
  const [exists] = await query<{ id: number }>(em, sql`select id from student where id = ${studentId}`);
  if (!exists) throw new NotFoundError('student', studentId);
  const perActivity = await query<TotalsRow & { activity_id: number; activity_name: string }>(
    em,
    sql`select a.id as activity_id, a.name as activity_name, ${TOTALS}
          from attendance at
          join meeting m on m.id = at.meeting_id and not m.cancelled
          join activity a on a.id = m.activity_id
         where at.student_id = ${studentId}
         group by a.id, a.name order by a.name`,
  );
  const records = await query<{
    meeting_id: number;
    activity_id: number;
    activity_name: string;
    starts_at: string;
    status: AttendanceStatus;
    note: string;
  }>(
    em,
    sql`select m.id as meeting_id, a.id as activity_id, a.name as activity_name, m.starts_at, at.status, at.note
          from attendance at
          join meeting m on m.id = at.meeting_id and not m.cancelled
          join activity a on a.id = m.activity_id
         where at.student_id = ${studentId}
         order by m.starts_at desc, m.id desc limit 200`,
  );
  const sum = (key: keyof TotalsRow) => perActivity.reduce((total, row) => total + row[key], 0);
  return {
    studentId,
    totals: toTotals({
      present: sum('present'),
      late: sum('late'),
      absent: sum('absent'),
      excused: sum('excused'),
    }),
    activities: perActivity.map((row) => ({
      activityId: row.activity_id,
      activityName: row.activity_name,
      totals: toTotals(row),
    })),
    records: records.map((row) => ({
      meetingId: row.meeting_id,
      activityId: row.activity_id,
      activityName: row.activity_name,
      startsAt: new Date(row.starts_at),
      status: row.status,
      note: row.note,
    })),
  };
}

/** Students at or over the threshold: at least `absences` unexcused absences from meetings of the last `days` days. */
export async function absenceAlerts(
  em: EntityManager,
  threshold: { absences: number; days: number },
  now = new Date(),
): Promise<AbsenceAlertDto> {
  const since = new Date(now.getTime() - threshold.days * 86_400_000);
  const rows = await query<{
    student_id: number;
    name: string;
    grade: number | null;
    unexcused: number;
    last_absence: string;
    activities: string[];
  }>(
    em,
    sql`select s.id as student_id, s.name, s.grade, count(*)::int as unexcused, max(m.starts_at) as last_absence,
               array_agg(distinct a.name order by a.name) as activities
          from attendance at
          join meeting m on m.id = at.meeting_id and not m.cancelled
          join activity a on a.id = m.activity_id
          join student s on s.id = at.student_id
         where at.status = 'absent' and m.starts_at >= ${since} and m.starts_at <= ${now}
         group by s.id, s.name, s.grade
        having count(*) >= ${threshold.absences}
         order by count(*) desc, s.name`,
  );
  return {
    ...threshold,
    students: rows.map((row) => ({
      studentId: row.student_id,
      name: row.name,
      grade: row.grade,
      unexcused: row.unexcused,
      lastAbsence: new Date(row.last_absence),
      activities: row.activities,
    })),
  };
}

/** The school's attendance rate per week (weeks start on Monday, school time), the last `weeks` weeks. */
export async function weeklyAttendance(
  em: EntityManager,
  weeks: number,
  now = new Date(),
  zone: string = schoolTimeZone(),
): Promise<WeeklyAttendanceDto> {
  const rows = await query<{ week: string; attended: number; counted: number }>(
    em,
    sql`with weeks as (
          select generate_series(date_trunc('week', (${now}::timestamptz at time zone ${zone})) - (${weeks - 1}::int * interval '1 week'),
                                 date_trunc('week', (${now}::timestamptz at time zone ${zone})),
                                 interval '1 week')::date as week)
        select w.week::text as week,
               count(at.id) filter (where at.status in ('present', 'late'))::int as attended,
               count(at.id) filter (where at.status in ('present', 'late', 'absent'))::int as counted
          from weeks w
          left join (meeting m join attendance at on at.meeting_id = m.id)
            on not m.cancelled and date_trunc('week', m.starts_at at time zone ${zone})::date = w.week
         group by w.week order by w.week`,
  );
  return rows.map((row) => ({ ...row, rate: row.counted ? row.attended / row.counted : null }));
}
