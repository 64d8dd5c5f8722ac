// The import's groups (matched by activity and name) with their members.
import type { ImportDataset } from '@mergington/contract';
import { activityId, upsert, type SchoolLife } from './records.ts';

export async function importGroups(
  { em, activityIds, studentId, counts }: SchoolLife,
  dataset: ImportDataset,
) {
  for (const group of dataset.groups) {
    const activity = await activityId(em, activityIds, group.activity);
    const leader = group.leaderEmail ? studentId(group.leaderEmail) : null;
    const id = await upsert(
      em,
      'activity_group',
      { activity_id: activity, 'name::text': group.name },
      { leader_id: leader },
      counts.groups,
    );
    for (const email of new Set([...(group.leaderEmail ? [group.leaderEmail] : []), ...group.members])) {
      const member = studentId(email);
      await em.execute(
        `insert into group_member (group_id, activity_id, student_id, role) values (?, ?, ?, ?)
         on conflict (group_id, student_id) do update set role = excluded.role`,
        [id, activity, member, member === leader ? 'leader' : 'member'],
      );
    }
  }
}
