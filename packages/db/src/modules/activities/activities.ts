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
  type ParticipantStatus,
  type TimeOfDay,
} from '@mergington/contract';
import { Activity } from '../../entities/index.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { containsPattern, pgArray, query, sql, type Sql, whereAll } from '../../sql.ts';
import { joinsAsSql } from './admission.ts';
import { fillFreeSeats } from './signups.ts';

/** A row of the activity reads (row-types.test.ts checks it against them). */
export interface ActivityRow {
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
  joins_as: ParticipantStatus;
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
    joinsAs: row.joins_as,
  };
}

/** The activity columns, its rating (hidden reviews not counted) and how a newcomer joins it. */
const ACTIVITY_COLUMNS = sql`a.id, a.name, a.description, a.schedule, a.schedule_days, a.start_time::text,
         a.end_time::text, a.category, a.allowed_grades, a.max_participants, a.enrolled_count, a.waitlist_count,
         a.min_group_size, a.max_group_size, a.version, r.average, r.rating_count, ${joinsAsSql('a')} as joins_as`;
const ACTIVITY_FROM = sql`from activity a
    left join lateral (select avg(f.rating) as average, count(*)::int as rating_count
                         from feedback f where f.activity_id = a.id and not f.hidden) r on true`;

/** The categories in use, for the catalogue's filter. */
export async function listCategories(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ category: string }[]>(
    'select distinct category from activity where category is not null order by category',
  );
  return rows.map((row) => row.category);
}

/** The activities a time of day covers (see TIMES_OF_DAY). */
const TIME_OF_DAY: Record<TimeOfDay, Sql> = {
  'before-school': sql`a.schedule_days && ${pgArray(SCHOOL_DAYS)}::text[] and a.end_time <= ${LESSONS.start}::time`,
  'after-school': sql`a.schedule_days && ${pgArray(SCHOOL_DAYS)}::text[] and a.start_time >= ${LESSONS.end}::time`,
  weekend: sql`a.schedule_days && ${pgArray(WEEKEND_DAYS)}::text[]`,
};

/** Activities by name, filtered the ways students look for them, with their free seats and ratings. */
export async function listActivities(
  em: EntityManager,
  input: ActivityListInput,
): Promise<Page<ActivityDto>> {
  const rows = await query<ActivityRow & { total: string }>(em, activityListStatement(input));
  return toPage(rows.map(toActivityDto), rows[0]?.total, input);
}

/** The statement of listActivities (pnpm bench:api runs it in pgbench). */
export function activityListStatement(input: ActivityListInput): Sql {
  const conditions: Sql[] = [];
  if (input.day) conditions.push(sql`a.schedule_days @> array[${input.day}::text]`);
  if (input.from) conditions.push(sql`a.start_time >= ${input.from}::time`);
  if (input.to) conditions.push(sql`a.end_time <= ${input.to}::time`);
  if (input.timeOfDay) conditions.push(TIME_OF_DAY[input.timeOfDay]);
  if (input.category) conditions.push(sql`a.category ilike ${input.category.replace(/[\\%_]/g, '\\$&')}`);
  if (input.search) {
    const pattern = containsPattern(input.search);
    conditions.push(sql`(a.name ilike ${pattern} or a.description ilike ${pattern})`);
  }
  if (input.hasSeats) conditions.push(sql`a.enrolled_count < a.max_participants`);
  return sql`select ${TOTAL_COLUMN}, ${ACTIVITY_COLUMNS} ${ACTIVITY_FROM} ${whereAll(conditions)}
              order by a.name ${pageClause(input)}`;
}

export async function getActivity(em: EntityManager, id: number): Promise<ActivityDto> {
  const [row] = await query<ActivityRow>(
    em,
    sql`select ${ACTIVITY_COLUMNS} ${ACTIVITY_FROM} where a.id = ${id}`,
  );
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
