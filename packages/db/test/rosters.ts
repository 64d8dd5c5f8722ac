import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Activities and students made straight in a test file's database, and the check that an activity's seats
 * are right: shared by the tests of signups and of bulk operations.
 */
export function rosters(orm: MikroORM) {
  const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
    orm.em.fork().getConnection().execute<T[]>(text, params);
  let nextName = 0;

  async function createActivity(maxParticipants: number, extra: { allowedGrades?: number[] } = {}) {
    const [row] = await sql<{ id: number }>(
      `insert into activity (name, max_participants, allowed_grades) values (?, ?, ?) returning id`,
      [
        `Activity ${Date.now()}-${++nextName}`,
        maxParticipants,
        extra.allowedGrades ? `{${extra.allowedGrades.join(',')}}` : null,
      ],
    );
    return row!.id;
  }

  async function createStudents(count: number, grade: number | null = 10): Promise<number[]> {
    const batch = `${Date.now()}-${++nextName}`;
    const rows = await sql<{ id: number }>(
      `insert into student (email, name, grade)
       select 's' || ? || '-' || n || '@mergington.edu', 'Student ' || n, ?::smallint from generate_series(1, ?) n
       returning id`,
      [batch, grade, count],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Every way the seats of an activity can be wrong, read from the rows themselves: more enrolled than
   * seats, counters that disagree with the rows, a student twice, someone waiting while a seat is free.
   */
  async function seatProblems(activityId: number): Promise<string[]> {
    const [state] = await sql<{
      max: number;
      enrolled_count: number;
      waitlist_count: number;
      enrolled: number;
      waiting: number;
      distinct_students: number;
      rows: number;
    }>(
      `select a.max_participants as max, a.enrolled_count, a.waitlist_count,
              count(*) filter (where p.status = 'enrolled')::int as enrolled,
              count(*) filter (where p.status = 'waitlisted')::int as waiting,
              count(distinct p.student_id)::int as distinct_students, count(p.id)::int as rows
         from activity a left join activity_participant p on p.activity_id = a.id
        where a.id = ? group by a.id`,
      [activityId],
    );
    const s = state!;
    const problems: string[] = [];
    if (s.enrolled > s.max) problems.push(`overbooked: ${s.enrolled} enrolled for ${s.max} seats`);
    if (s.enrolled_count !== s.enrolled)
      problems.push(`enrolled_count ${s.enrolled_count} but ${s.enrolled} rows`);
    if (s.waitlist_count !== s.waiting)
      problems.push(`waitlist_count ${s.waitlist_count} but ${s.waiting} rows`);
    if (s.distinct_students !== s.rows) problems.push(`${s.rows - s.distinct_students} duplicate signups`);
    if (s.waiting > 0 && s.enrolled < s.max)
      problems.push(`${s.waiting} waiting while ${s.max - s.enrolled} seats are free`);
    return problems;
  }

  return { sql, createActivity, createStudents, seatProblems };
}
