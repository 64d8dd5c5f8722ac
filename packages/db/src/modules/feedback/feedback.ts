import type { EntityManager } from '@mikro-orm/postgresql';
import { Activity } from '../../entities/index.ts';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { type FeedbackDto, type Page } from '@mergington/contract';

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

const FEEDBACK_SELECT = `
  select f.id, f.activity_id, a.name as activity_name, f.student_id, s.name as student_name, f.rating, f.review,
         f.hidden, f.created_at, f.updated_at
    from feedback f join activity a on a.id = f.activity_id join student s on s.id = f.student_id`;

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
  const [row] = await em.execute<FeedbackRow[]>(`${FEEDBACK_SELECT} where f.id = ?`, [id]);
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
  if (!row) throw new NotFoundError(`feedback of student ${studentId} for activity`, activityId);
}

export async function myFeedback(em: EntityManager, studentId: number): Promise<FeedbackDto[]> {
  const rows = await em.execute<FeedbackRow[]>(`${FEEDBACK_SELECT} where f.student_id = ? order by a.name`, [
    studentId,
  ]);
  return rows.map(toFeedbackDto);
}

/** Every review, hidden ones too (teachers). */
export async function listFeedback(
  em: EntityManager,
  input: { page: number; pageSize: number; activityId?: number; hidden?: boolean; publicOnly?: boolean },
): Promise<Page<FeedbackDto>> {
  const hidden = input.publicOnly ? false : (input.hidden ?? null);
  const rows = await em.execute<(FeedbackRow & { total: string })[]>(
    `${FEEDBACK_SELECT.replace('select f.id,', 'select count(*) over () as total, f.id,')}
      where (?::int is null or f.activity_id = ?) and (?::boolean is null or f.hidden = ?)
      order by f.updated_at desc, f.id desc limit ? offset ?`,
    [
      input.activityId ?? null,
      input.activityId ?? null,
      hidden,
      hidden,
      input.pageSize,
      (input.page - 1) * input.pageSize,
    ],
  );
  return {
    items: rows.map(toFeedbackDto),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
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
