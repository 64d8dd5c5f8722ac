import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Activity } from './entities/index.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import type {
  ActivityCreateInput,
  ActivityDto,
  ActivityListInput,
  ActivitySummary,
  ActivityUpdateInput,
  Page,
} from './schemas/index.ts';
import { containsPattern, placeholders } from './sql.ts';
import { fillFreeSeats } from './signups.ts';

export function toActivitySummary(activity: Activity): ActivitySummary {
  return {
    id: activity.id,
    name: activity.name,
    description: activity.description,
    schedule: activity.schedule,
    scheduleDays: activity.scheduleDays ?? null,
    startTime: activity.startTime ? String(activity.startTime).slice(0, 5) : null,
    endTime: activity.endTime ? String(activity.endTime).slice(0, 5) : null,
    category: activity.category ?? null,
    allowedGrades: activity.allowedGrades ?? null,
    maxParticipants: activity.maxParticipants,
    enrolledCount: activity.enrolledCount,
    spotsLeft: Math.max(activity.maxParticipants - activity.enrolledCount, 0),
    waitlistCount: activity.waitlistCount,
    minGroupSize: activity.minGroupSize ?? null,
    maxGroupSize: activity.maxGroupSize ?? null,
    version: activity.version,
  };
}

/** Activities by name, filtered the ways students look for them, with their free seats and ratings. */
export async function listActivities(
  em: EntityManager,
  input: ActivityListInput,
): Promise<Page<ActivityDto>> {
  const where: FilterQuery<Activity> & { $and: FilterQuery<Activity>[] } = { $and: [] };
  if (input.day) where.$and.push({ scheduleDays: { $contains: [input.day] } });
  if (input.from) where.$and.push({ startTime: { $gte: input.from } });
  if (input.to) where.$and.push({ endTime: { $lte: input.to } });
  if (input.category) where.$and.push({ category: { $ilike: input.category.replace(/[\\%_]/g, '\\$&') } });
  if (input.search) {
    const pattern = containsPattern(input.search);
    where.$and.push({ $or: [{ name: { $ilike: pattern } }, { description: { $ilike: pattern } }] });
  }
  if (input.hasSeats)
    where.$and.push({ [raw((alias) => `${alias}.enrolled_count < ${alias}.max_participants`)]: [] });
  const [activities, total] = await em.findAndCount(Activity, where, {
    orderBy: { name: 'asc' },
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { items: await withRatings(em, activities), total, page: input.page, pageSize: input.pageSize };
}

export async function getActivity(em: EntityManager, id: number): Promise<ActivityDto> {
  const activity = await em.findOne(Activity, id);
  if (!activity) throw new NotFoundError('activity', id);
  const [dto] = await withRatings(em, [activity]);
  return dto!;
}

async function withRatings(em: EntityManager, activities: Activity[]): Promise<ActivityDto[]> {
  if (activities.length === 0) return [];
  const rows = await em.execute<{ activity_id: number; average: string; count: number }[]>(
    `select activity_id, avg(rating) as average, count(*)::int as count from feedback
      where not hidden and activity_id in (${placeholders(activities)}) group by activity_id`,
    activities.map((activity) => activity.id),
  );
  const ratings = new Map(rows.map((row) => [row.activity_id, row]));
  return activities.map((activity) => {
    const rating = ratings.get(activity.id);
    return {
      ...toActivitySummary(activity),
      averageRating: rating ? Math.round(Number(rating.average) * 100) / 100 : null,
      ratingCount: rating?.count ?? 0,
    };
  });
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
