// The import's signups: statuses given, or the admission rule applied to the seats counted as it goes.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportDataset } from '@mergington/contract';
import { pgArray } from '../../sql.ts';
import { joinsAs, type SeatCounts } from '../activities/admission.ts';
import { type Counts, idsByEmail } from './records.ts';

export async function importParticipants(
  em: EntityManager,
  dataset: ImportDataset,
  activityIds: Map<string, number>,
  seats: Map<number, SeatCounts>,
  overflow: 'enroll' | 'waitlist',
  counts: Counts,
  warnings: string[],
) {
  const activities = dataset.activities.filter((activity) => activity.participants.length > 0);
  if (activities.length === 0) return;
  const studentIds = await idsByEmail(
    em,
    activities.flatMap((activity) => activity.participants.map((p) => p.email)),
  );
  const listed = activities.flatMap((activity) =>
    activity.participants.map((p) => [activityIds.get(activity.name)!, studentIds.get(p.email)!] as const),
  );
  // Only the pairs this part lists: a large import comes in many parts, and every part looking at every
  // signup already written would make it quadratic.
  const existing = new Set(
    (
      await em.execute<{ activity_id: number; student_id: number }[]>(
        `select p.activity_id, p.student_id
           from unnest(?::int[], ?::int[]) as t(a, s)
           join activity_participant p on p.activity_id = t.a and p.student_id = t.s`,
        [pgArray(listed.map(([a]) => a)), pgArray(listed.map(([, s]) => s))],
      )
    ).map((row) => `${row.activity_id}:${row.student_id}`),
  );
  // Counted from the rows the first time an activity is met (the counters are deferred until the end of
  // the import), then kept here as this import adds to it.
  const unseen = activities.map((a) => activityIds.get(a.name)!).filter((id) => !seats.has(id));
  if (unseen.length > 0) {
    const rows = await em.execute<
      { id: number; enrolled_count: number; waitlist_count: number; max_participants: number }[]
    >(
      `select a.id, a.max_participants,
              count(p.id) filter (where p.status = 'enrolled')::int as enrolled_count,
              count(p.id) filter (where p.status = 'waitlisted')::int as waitlist_count
         from activity a left join activity_participant p on p.activity_id = a.id
        where a.id = any(?::int[]) group by a.id`,
      [pgArray([...new Set(unseen)])],
    );
    for (const row of rows)
      seats.set(row.id, {
        enrolled: row.enrolled_count,
        waiting: row.waitlist_count,
        max: row.max_participants,
      });
  }
  const rows: { activity: number; student: number; status: string }[] = [];
  for (const activity of activities) {
    const activityId = activityIds.get(activity.name)!;
    const seat = seats.get(activityId)!;
    let overbooked = 0;
    for (const participant of activity.participants) {
      const studentId = studentIds.get(participant.email)!;
      if (existing.has(`${activityId}:${studentId}`)) {
        counts.participants.unchanged++;
        continue;
      }
      let status = participant.status;
      if (!status) {
        if (joinsAs(seat) === 'enrolled') status = 'enrolled';
        else if (overflow === 'enroll') {
          status = 'enrolled';
          overbooked++;
        } else status = 'waitlisted';
      }
      if (status === 'enrolled') seat.enrolled++;
      else seat.waiting++;
      rows.push({ activity: activityId, student: studentId, status });
      existing.add(`${activityId}:${studentId}`); // listed again in this part (two files): once
      counts.participants.created++;
    }
    if (overbooked > 0) {
      warnings.push(
        `${activity.name}: ${seat.enrolled} enrolled for ${seat.max} seats: ${overbooked} beyond them were kept enrolled (--overflow waitlist waitlists them instead)`,
      );
    }
  }
  if (rows.length === 0) return;
  // One statement, in file order: ids (the waitlist's order) follow the old lists.
  await em.execute(
    `insert into activity_participant (activity_id, student_id, status)
     select a, s, st from unnest(?::int[], ?::int[], ?::text[]) with ordinality as t(a, s, st, n) order by n`,
    [
      pgArray(rows.map((r) => r.activity)),
      pgArray(rows.map((r) => r.student)),
      pgArray(rows.map((r) => r.status)),
    ],
  );
}
