// The import's events (matched by activity, name and date) with their judges.
import type { ImportDataset } from '@mergington/contract';
import { activityId, ImportReferenceError, upsert, type SchoolLife } from './records.ts';

export async function importEvents({ em, activityIds, counts }: SchoolLife, dataset: ImportDataset) {
  for (const event of dataset.events) {
    const id = await upsert(
      em,
      'event',
      {
        activity_id: await activityId(em, activityIds, event.activity),
        'name::text': event.name,
        'date::timestamptz': event.date,
      },
      {
        'venue::text': event.venue,
        'description::text': event.description,
        'prizes::jsonb': JSON.stringify(event.prizes),
      },
      counts.events,
    );
    await em.execute(`delete from event_judge where event_id = ?`, [id]);
    for (const judge of event.judges) {
      if ('teacherUsername' in judge) {
        const [teacher] = await em.execute<{ id: number }[]>(`select id from teacher where username = ?`, [
          judge.teacherUsername,
        ]);
        if (!teacher) throw new ImportReferenceError(`no teacher with username ${judge.teacherUsername}`);
        await em.execute(`insert into event_judge (event_id, teacher_id) values (?, ?)`, [id, teacher.id]);
      } else {
        await em.execute(`insert into event_judge (event_id, name) values (?, ?)`, [id, judge.name]);
      }
    }
  }
}
