// The import's activities: matched by name.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportDataset } from '@mergington/contract';
import { pgArray } from '../../sql.ts';
import type { Counts } from './records.ts';

const ACTIVITY_COLUMNS = [
  'description',
  'schedule',
  'schedule_days',
  'start_time',
  'end_time',
  'category',
  'allowed_grades',
  'max_participants',
] as const;

export async function importActivities(
  em: EntityManager,
  dataset: ImportDataset,
  counts: Counts,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const activity of dataset.activities) {
    const values = [
      activity.description,
      activity.schedule,
      activity.scheduleDays ? pgArray(activity.scheduleDays) : null,
      activity.startTime,
      activity.endTime,
      activity.category,
      activity.allowedGrades ? pgArray(activity.allowedGrades) : null,
      activity.maxParticipants,
    ];
    const [existing] = await em.execute<{ id: number; same: boolean }[]>(
      `select id, (description, schedule, schedule_days, start_time, end_time, category, allowed_grades, max_participants)
                  is not distinct from (?::text, ?::text, ?::text[], ?::time, ?::time, ?::text, ?::smallint[], ?::int) as same
         from activity where name = ?`,
      [...values, activity.name],
    );
    if (!existing) {
      const [row] = await em.execute<{ id: number }[]>(
        `insert into activity (name, ${ACTIVITY_COLUMNS.join(', ')}, created_at)
         values (?, ?, ?, ?::text[], ?, ?, ?, ?::smallint[], ?, coalesce(?::timestamptz, now())) returning id`,
        [activity.name, ...values, activity.createdAt ?? null],
      );
      ids.set(activity.name, row!.id);
      counts.activities.created++;
    } else {
      ids.set(activity.name, existing.id);
      if (existing.same) {
        counts.activities.unchanged++;
      } else {
        await em.execute(
          `update activity set ${ACTIVITY_COLUMNS.map((column) => `${column} = ?${column.endsWith('days') ? '::text[]' : column === 'allowed_grades' ? '::smallint[]' : ''}`).join(', ')},
                  version = version + 1, updated_at = now()
            where id = ?`,
          [...values, existing.id],
        );
        counts.activities.updated++;
      }
    }
  }
  return ids;
}
