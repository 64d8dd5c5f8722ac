// The import's committees (matched by name) and positions (by committee, position and term start).
import type { ImportDataset } from '@mergington/contract';
import { ImportReferenceError, upsert, type SchoolLife } from './records.ts';

/** Returns the committees' ids by name. */
export async function importCommittees({ em, counts }: SchoolLife, dataset: ImportDataset) {
  const committeeIds = new Map<string, number>();
  for (const committee of dataset.committees) {
    committeeIds.set(
      committee.name,
      await upsert(
        em,
        'committee',
        { name: committee.name },
        { description: committee.description },
        counts.committees,
      ),
    );
  }
  return committeeIds;
}

export async function importPositions(
  { em, studentId, counts }: SchoolLife,
  dataset: ImportDataset,
  committeeIds: Map<string, number>,
) {
  for (const position of dataset.positions) {
    let committeeId = committeeIds.get(position.committee);
    if (!committeeId) {
      const [row] = await em.execute<{ id: number }[]>(`select id from committee where name = ?`, [
        position.committee,
      ]);
      if (!row) throw new ImportReferenceError(`no committee named ${position.committee}`);
      committeeId = row.id;
    }
    await upsert(
      em,
      'position',
      {
        committee_id: committeeId,
        'position_name::text': position.positionName,
        'term_start::date': position.termStart,
      },
      { student_id: studentId(position.studentEmail), 'term_end::date': position.termEnd },
      counts.positions,
    );
  }
}
