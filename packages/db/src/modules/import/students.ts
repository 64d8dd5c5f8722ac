// The import's students: listed ones and ones only referenced, matched by email.
import type { EntityManager } from '@mikro-orm/postgresql';
import { nameFromEmail, type ImportDataset } from '@mergington/contract';
import { pgArray } from '../../sql.ts';
import { type Counts, studentEmailsOfSchoolLife } from './records.ts';

/**
 * Students the dataset lists, and students only referenced (by a signup, say) that do not exist yet; a
 * name made from an email never replaces a real one.
 * `known`: the emails this import has written already, so that the parts after the students' own do not
 * write them again.
 */
export async function importStudents(
  em: EntityManager,
  dataset: ImportDataset,
  known: Set<string>,
  counts: Counts,
) {
  const students = new Map(dataset.students.map((student) => [student.email, student]));
  const referenced = [
    ...dataset.activities.flatMap((activity) =>
      activity.participants.map((participant) => participant.email),
    ),
    ...studentEmailsOfSchoolLife(dataset),
  ];
  const given = new Set(students.keys());
  for (const email of referenced) {
    if (!students.has(email) && !known.has(email))
      students.set(email, { email, name: nameFromEmail(email), grade: null });
  }
  const list = [...students.values()];
  if (list.length === 0) return;
  const emails = pgArray(list.map((s) => s.email));
  const names = pgArray(list.map((s) => s.name));
  const grades = pgArray(list.map((s) => s.grade));
  const explicit = pgArray(list.map((s) => s.name !== nameFromEmail(s.email) || s.grade !== null));
  const inserted = await em.execute<{ email: string }[]>(
    `insert into student (email, name, grade)
     select email, name, grade from unnest(?::text[], ?::text[], ?::smallint[]) with ordinality as t(email, name, grade, n) order by n
     on conflict (email) do nothing returning email`,
    [emails, names, grades],
  );
  const updated = await em.execute(
    `update student s set name = t.name, grade = coalesce(t.grade, s.grade), updated_at = now()
       from unnest(?::text[], ?::text[], ?::smallint[], ?::boolean[]) as t(email, name, grade, explicit)
      where s.email = t.email and t.explicit and (s.name, s.grade) is distinct from (t.name, coalesce(t.grade, s.grade))
      returning s.id`,
    [emails, names, grades, explicit],
  );
  for (const email of students.keys()) known.add(email);
  // Students the dataset lists are counted; ones only referenced (by a signup, say) count when created.
  counts.students.created += inserted.length;
  counts.students.updated += updated.length;
  counts.students.unchanged +=
    given.size - inserted.filter((row) => given.has(row.email)).length - updated.length;
}
