import type { EntityManager } from '@mikro-orm/postgresql';
import { Activity } from './entities/index.ts';
import type { ActivitySummary } from './schemas.ts';

/** Every activity by name, with its free seats and waitlist length read from the seat counters. */
export async function listActivities(em: EntityManager): Promise<ActivitySummary[]> {
  const activities = await em.find(Activity, {}, { orderBy: { name: 'asc' } });
  return activities.map(toActivitySummary);
}

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
  };
}
