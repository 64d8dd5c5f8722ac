// The import's feedback, in bulk (matched by activity and student).
import type { ImportDataset } from '@mergington/contract';
import { pgArray } from '../../sql.ts';
import { activityId, type SchoolLife } from './records.ts';

export async function importFeedback(
  { em, activityIds, studentId, counts }: SchoolLife,
  dataset: ImportDataset,
) {
  if (dataset.feedback.length > 0) {
    const activities = await Promise.all(
      dataset.feedback.map((feedback) => activityId(em, activityIds, feedback.activity)),
    );
    const written = await em.execute<{ inserted: boolean }[]>(
      `insert into feedback (activity_id, student_id, rating, review)
       select a, s, r, v from unnest(?::int[], ?::int[], ?::smallint[], ?::text[]) as t(a, s, r, v)
       on conflict (activity_id, student_id) do update set rating = excluded.rating, review = excluded.review, updated_at = now()
        where (feedback.rating, feedback.review) is distinct from (excluded.rating, excluded.review)
       returning xmax = 0 as inserted`,
      [
        pgArray(activities),
        pgArray(dataset.feedback.map((feedback) => studentId(feedback.studentEmail))),
        pgArray(dataset.feedback.map((feedback) => feedback.rating)),
        pgArray(dataset.feedback.map((feedback) => feedback.review)),
      ],
    );
    const created = written.filter((row) => row.inserted).length;
    counts.feedback.created += created;
    counts.feedback.updated += written.length - created;
    counts.feedback.unchanged += dataset.feedback.length - written.length;
  }
}
