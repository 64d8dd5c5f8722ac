import type { EntityManager } from '@mikro-orm/postgresql';
import { Activity } from '../../entities/index.ts';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { type FeedbackDto, type Page } from '@mergington/contract';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql, whereAll } from '../../sql.ts';

interface FeedbackRow {
  id: number;
  activity_id: number;
  activity_name: string;
  student_id: number;
  student_name: string;
  rating: number;
  review: string;
  hidden: boolean;
  created_at: Date;
  updated_at: Date;
}

const FEEDBACK_COLUMNS = sql`f.id, f.activity_id, a.name as activity_name, f.student_id, s.name as student_name,
         f.rating, f.review, f.hidden, f.created_at, f.updated_at`;
const FEEDBACK_FROM = sql`from feedback f join activity a on a.id = f.activity_id join student s on s.id = f.student_id`;

const toFeedbackDto = (row: FeedbackRow): FeedbackDto => ({
  id: row.id,
  activity: { id: row.activity_id, name: row.activity_name },
  student: { id: row.student_id, name: row.student_name },
  rating: row.rating,
  review: row.review,
  hidden: row.hidden,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/**
 * An enrolled student rates an activity, once: a second submission replaces the first. A review a teacher
 * hid stays hidden when edited, until a teacher shows it again.
 */
export async function submitFeedback(
  em: EntityManager,
  studentId: number,
  input: { activityId: number; rating: number; review: string },
): Promise<FeedbackDto> {
  const [enrolled] = await em.execute(
    `select 1 from activity_participant where activity_id = ? and student_id = ? and status = 'enrolled'`,
    [input.activityId, studentId],
  );
  if (!enrolled) {
    if (!(await em.count(Activity, { id: input.activityId })))
      throw new NotFoundError('activity', input.activityId);
    throw new RuleViolationError('only students enrolled in an activity can rate it');
  }
  const [row] = await em.execute<{ id: number }[]>(
    `insert into feedback (student_id, activity_id, rating, review) values (?, ?, ?, ?)
     on conflict (activity_id, student_id) do update set rating = excluded.rating, review = excluded.review, updated_at = now()
     returning id`,
    [studentId, input.activityId, input.rating, input.review],
  );
  return getFeedback(em, row!.id);
}

export async function getFeedback(em: EntityManager, id: number): Promise<FeedbackDto> {
  const [row] = await query<FeedbackRow>(
    em,
    sql`select ${FEEDBACK_COLUMNS} ${FEEDBACK_FROM} where f.id = ${id}`,
  );
  if (!row) throw new NotFoundError('feedback', id);
  return toFeedbackDto(row);
}

export async function deleteOwnFeedback(
  em: EntityManager,
  studentId: number,
  activityId: number,
): Promise<void> {
  const [row] = await em.execute(
    `delete from feedback where student_id = ? and activity_id = ? returning id`,
    [studentId, activityId],
  );
  if (!row) throw new NotFoundError('feedback', activityId, 'You have given no feedback on this activity');
}

export async function myFeedback(em: EntityManager, studentId: number): Promise<FeedbackDto[]> {
  const rows = await query<FeedbackRow>(
    em,
    sql`select ${FEEDBACK_COLUMNS} ${FEEDBACK_FROM} where f.student_id = ${studentId} order by a.name`,
  );
  return rows.map(toFeedbackDto);
}

/** Every review, hidden ones too (teachers). */
export async function listFeedback(
  em: EntityManager,
  input: { page: number; pageSize: number; activityId?: number; hidden?: boolean; publicOnly?: boolean },
): Promise<Page<FeedbackDto>> {
  const hidden = input.publicOnly ? false : (input.hidden ?? null);
  const conditions: Sql[] = [];
  if (input.activityId !== undefined) conditions.push(sql`f.activity_id = ${input.activityId}`);
  if (hidden !== null) conditions.push(sql`f.hidden = ${hidden}`);
  const rows = await query<FeedbackRow & { total: string }>(
    em,
    sql`select ${TOTAL_COLUMN}, ${FEEDBACK_COLUMNS} ${FEEDBACK_FROM} ${whereAll(conditions)}
         order by f.updated_at desc, f.id desc ${pageClause(input)}`,
  );
  return toPage(rows.map(toFeedbackDto), rows[0]?.total, input);
}

export async function setFeedbackHidden(
  em: EntityManager,
  id: number,
  hidden: boolean,
): Promise<FeedbackDto> {
  const [row] = await em.execute(
    `update feedback set hidden = ?, updated_at = now() where id = ? returning id`,
    [hidden, id],
  );
  if (!row) throw new NotFoundError('feedback', id);
  return getFeedback(em, id);
}

/** How many gave each rating, the count and the average; hidden reviews are not counted. */
export async function ratingDistribution(em: EntityManager, activityId: number) {
  if (!(await em.count(Activity, { id: activityId }))) throw new NotFoundError('activity', activityId);
  const rows = await em.execute<{ rating: number; count: number }[]>(
    `select rating, count(*)::int as count from feedback where activity_id = ? and not hidden group by rating`,
    [activityId],
  );
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<1 | 2 | 3 | 4 | 5, number>;
  for (const row of rows) counts[row.rating as 1 | 2 | 3 | 4 | 5] = row.count;
  const count = rows.reduce((sum, row) => sum + row.count, 0);
  const total = rows.reduce((sum, row) => sum + row.rating * row.count, 0);
  return { activityId, counts, count, average: count ? Math.round((total / count) * 100) / 100 : null };
}
