import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  LESSONS,
  SCHOOL_DAYS,
  WEEKEND_DAYS,
  type ActivityCreateInput,
  type ActivityDto,
  type ActivityListInput,
  type ActivitySummary,
  type ActivityUpdateInput,
  type Page,
} from '@mergington/contract';
import { Activity } from '../../entities/index.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { containsPattern, pgArray } from '../../sql.ts';
import { fillFreeSeats } from './signups.ts';

interface ActivityRow {
  id: number;
  name: string;
  description: string;
  schedule: string;
  schedule_days: ActivitySummary['scheduleDays'];
  start_time: string | null;
  end_time: string | null;
  category: string | null;
  allowed_grades: number[] | null;
  max_participants: number;
  enrolled_count: number;
  waitlist_count: number;
  min_group_size: number | null;
  max_group_size: number | null;
  version: number;
  average: string | null;
  rating_count: number;
}

function toActivityDto(row: ActivityRow): ActivityDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    schedule: row.schedule,
    scheduleDays: row.schedule_days,
    startTime: row.start_time?.slice(0, 5) ?? null,
    endTime: row.end_time?.slice(0, 5) ?? null,
    category: row.category,
    allowedGrades: row.allowed_grades,
    maxParticipants: row.max_participants,
    enrolledCount: row.enrolled_count,
    spotsLeft: Math.max(row.max_participants - row.enrolled_count, 0),
    waitlistCount: row.waitlist_count,
    minGroupSize: row.min_group_size,
    maxGroupSize: row.max_group_size,
    version: row.version,
    averageRating: row.average === null ? null : Math.round(Number(row.average) * 100) / 100,
    ratingCount: row.rating_count,
  };
}

/** The activity columns and its rating (hidden reviews not counted), in one query without ORM entities. */
export const ACTIVITY_SELECT = `
  select a.id, a.name, a.description, a.schedule, a.schedule_days, a.start_time::text, a.end_time::text, a.category,
         a.allowed_grades, a.max_participants, a.enrolled_count, a.waitlist_count, a.min_group_size, a.max_group_size,
         a.version, r.average, r.rating_count
    from activity a
    left join lateral (select avg(f.rating) as average, count(*)::int as rating_count
                         from feedback f where f.activity_id = a.id and not f.hidden) r on true`;

/** The categories in use, for the catalogue's filter. */
export async function listCategories(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ category: string }[]>(
    'select distinct category from activity where category is not null order by category',
  );
  return rows.map((row) => row.category);
}

/** Activities by name, filtered the ways students look for them, with their free seats and ratings. */
export async function listActivities(
  em: EntityManager,
  input: ActivityListInput,
): Promise<Page<ActivityDto>> {
  const rows = await em.execute<(ActivityRow & { total: string })[]>(
    `${ACTIVITY_SELECT.replace('select a.id,', 'select count(*) over () as total, a.id,')}
      where (?::text is null or a.schedule_days @> array[?::text])
        and (?::time is null or a.start_time >= ?::time)
        and (?::time is null or a.end_time <= ?::time)
        and (?::text is null or case ?::text
               when 'before-school' then a.schedule_days && ?::text[] and a.end_time <= ?::time
               when 'after-school' then a.schedule_days && ?::text[] and a.start_time >= ?::time
               else a.schedule_days && ?::text[] end)
        and (?::text is null or a.category ilike ?)
        and (?::text is null or a.name ilike ? or a.description ilike ?)
        and (not ?::boolean or a.enrolled_count < a.max_participants)
      order by a.name limit ? offset ?`,
    [
      input.day ?? null,
      input.day ?? null,
      input.from ?? null,
      input.from ?? null,
      input.to ?? null,
      input.to ?? null,
      input.timeOfDay ?? null,
      input.timeOfDay ?? null,
      pgArray(SCHOOL_DAYS),
      LESSONS.start,
      pgArray(SCHOOL_DAYS),
      LESSONS.end,
      pgArray(WEEKEND_DAYS),
      input.category ?? null,
      input.category?.replace(/[\\%_]/g, '\\$&') ?? null,
      input.search ? containsPattern(input.search) : null,
      input.search ? containsPattern(input.search) : null,
      input.search ? containsPattern(input.search) : null,
      input.hasSeats ?? false,
      input.pageSize,
      (input.page - 1) * input.pageSize,
    ],
  );
  return {
    items: rows.map(toActivityDto),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

export async function getActivity(em: EntityManager, id: number): Promise<ActivityDto> {
  const [row] = await em.execute<ActivityRow[]>(`${ACTIVITY_SELECT} where a.id = ?`, [id]);
  if (!row) throw new NotFoundError('activity', id);
  return toActivityDto(row);
}

export async function createActivity(em: EntityManager, input: ActivityCreateInput): Promise<ActivityDto> {
  if (await em.count(Activity, { name: input.name })) {
    throw new ConflictError(`an activity named ${input.name} already exists`, 'name');
  }
  const activity = em.create(Activity, input);
  await em.flush();
  return getActivity(em, activity.id);
}

/**
 * Changes an activity the editor last saw at `version`; someone else's change since is a conflict. A raised
 * capacity admits the waitlist in order at once; a lowered one keeps everyone enrolled and admits no one
 * until there is room.
 */
export async function updateActivity(em: EntityManager, input: ActivityUpdateInput): Promise<ActivityDto> {
  await em.transactional(async (tx) => {
    const activity = await tx.findOne(Activity, input.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!activity) throw new NotFoundError('activity', input.id);
    if (activity.version !== input.version) {
      throw new ConflictError(
        `${activity.name} was changed by someone else (version ${activity.version}, not ${input.version}): reload it`,
        'version',
      );
    }
    const { id: _id, version: _version, ...fields } = input;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.assign(activity, { [key]: value });
    }
    await tx.flush();
    await fillFreeSeats(tx, activity.id);
  });
  em.clear();
  return getActivity(em, input.id);
}

/** Deletes an activity with its signups, events, groups, news and feedback; one with payments is refused. */
export async function deleteActivity(em: EntityManager, id: number): Promise<void> {
  const deleted = await em.nativeDelete(Activity, { id });
  if (!deleted) throw new NotFoundError('activity', id);
}
