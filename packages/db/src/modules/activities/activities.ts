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
  type Standing,
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
  term_starts_on: string | null;
  term_ends_on: string | null;
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
  /** The viewing student's signup status, place in line and grade (null without a viewing student). */
  my_status: ParticipantStatus | null;
  my_position: number | null;
  my_grade: number | null;
}

/** The signed-in student an activity read is for (their standing is in each answer), or null for anyone else. */
export type Viewer = { studentId: number } | null;

/** Where the viewing student stands with the activity of a row (see standingSchema). */
export function standingOf(row: ActivityRow): Standing {
  if (row.my_status === 'enrolled') return { status: 'enrolled', waitlistPosition: null, label: 'Enrolled' };
  if (row.my_status === 'waitlisted')
    return { status: 'waitlisted', waitlistPosition: row.my_position, label: `Waitlist #${row.my_position}` };
  if (row.allowed_grades && !(row.my_grade && row.allowed_grades.includes(row.my_grade))) {
    const label = row.my_grade
      ? `Not open to grade ${row.my_grade}`
      : `Open to grades ${row.allowed_grades.join(', ')} only`;
    return { status: 'not-open', waitlistPosition: null, label };
  }
  return { status: 'open', waitlistPosition: null, label: null };
}

function toActivityDto(row: ActivityRow, viewer: Viewer): ActivityDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    schedule: row.schedule,
    scheduleDays: row.schedule_days,
    startTime: row.start_time?.slice(0, 5) ?? null,
    endTime: row.end_time?.slice(0, 5) ?? null,
    termStartsOn: row.term_starts_on,
    termEndsOn: row.term_ends_on,
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
    myStanding: viewer ? standingOf(row) : null,
  };
}

/** The activity columns, its rating (hidden reviews not counted) and how a newcomer joins it. */
const ACTIVITY_COLUMNS = sql`a.id, a.name, a.description, a.schedule, a.schedule_days, a.start_time::text,
         a.end_time::text, a.term_starts_on::text, a.term_ends_on::text, a.category, a.allowed_grades, a.max_participants, a.enrolled_count, a.waitlist_count,
         a.min_group_size, a.max_group_size, a.version, r.average, r.rating_count, ${joinsAsSql('a')} as joins_as`;
const ACTIVITY_FROM = sql`from activity a
    left join lateral (select avg(f.rating) as average, count(*)::int as rating_count
                         from feedback f where f.activity_id = a.id and not f.hidden) r on true`;

/** The viewing student's signup of each activity (and their grade); nothing is joined for anyone else. */
function standingSql(viewer: Viewer): { columns: Sql; from: Sql } {
  if (!viewer)
    return {
      columns: sql`, null::text as my_status, null::int as my_position, null::int as my_grade`,
      from: sql``,
    };
  return {
    columns: sql`, me.status as my_status, me.position as my_position, viewer.grade as my_grade`,
    from: sql`left join student viewer on viewer.id = ${viewer.studentId}
      left join lateral (
        select p.status,
               case when p.status = 'waitlisted' then
                 (select count(*)::int from activity_participant q
                   where q.activity_id = p.activity_id and q.status = 'waitlisted' and q.id <= p.id)
               end as position
          from activity_participant p where p.activity_id = a.id and p.student_id = ${viewer.studentId}) me on true`,
  };
}

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
  viewer: Viewer = null,
): Promise<Page<ActivityDto>> {
  const rows = await query<ActivityRow & { total: string }>(em, activityListStatement(input, viewer));
  return toPage(
    rows.map((row) => toActivityDto(row, viewer)),
    rows[0]?.total,
    input,
  );
}

/** The statement of listActivities (pnpm bench:api runs it in pgbench). */
export function activityListStatement(input: ActivityListInput, viewer: Viewer = null): Sql {
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
  const standing = standingSql(viewer);
  return sql`select ${TOTAL_COLUMN}, ${ACTIVITY_COLUMNS} ${standing.columns} ${ACTIVITY_FROM} ${standing.from}
              ${whereAll(conditions)} order by a.name ${pageClause(input)}`;
}

export async function getActivity(
  em: EntityManager,
  id: number,
  viewer: Viewer = null,
): Promise<ActivityDto> {
  const standing = standingSql(viewer);
  const [row] = await query<ActivityRow>(
    em,
    sql`select ${ACTIVITY_COLUMNS} ${standing.columns} ${ACTIVITY_FROM} ${standing.from} where a.id = ${id}`,
  );
  if (!row) throw new NotFoundError('activity', id);
  return toActivityDto(row, viewer);
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
