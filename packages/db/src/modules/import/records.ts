// What the import's tables share: counts, lookups by natural key, and one upsert.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportDataset, ImportTable } from '@mergington/contract';
import { pgArray } from '../../sql.ts';

export type Counts = Record<ImportTable, { created: number; updated: number; unchanged: number }>;

/** What the school-life tables' imports work with: one part's transaction, lookups and counts. */
export interface SchoolLife {
  em: EntityManager;
  counts: Counts;
  /** Activities by name, this import's first (activityId looks up the others). */
  activityIds: Map<string, number>;
  /** The id of a student the part names (all looked up at once: studentEmailsOfSchoolLife). */
  studentId: (email: string) => number;
}

/** The students the school-life tables name (positions, groups, feedback, payments). */
export function studentEmailsOfSchoolLife(dataset: ImportDataset): string[] {
  return [
    ...dataset.positions.map((position) => position.studentEmail),
    ...dataset.groups.flatMap((group) => [
      ...group.members,
      ...(group.leaderEmail ? [group.leaderEmail] : []),
    ]),
    ...dataset.feedback.map((feedback) => feedback.studentEmail),
    ...dataset.payments.map((payment) => payment.studentEmail),
  ];
}

export async function idsByEmail(em: EntityManager, emails: string[]): Promise<Map<string, number>> {
  const rows = await em.execute<{ id: number; email: string }[]>(
    `select id, email from student where email = any(?::text[])`,
    [pgArray([...new Set(emails)])],
  );
  return new Map(rows.map((row) => [row.email, row.id]));
}

export async function activityId(
  em: EntityManager,
  activityIds: Map<string, number>,
  name: string,
): Promise<number> {
  const known = activityIds.get(name);
  if (known) return known;
  const [row] = await em.execute<{ id: number }[]>(`select id from activity where name = ?`, [name]);
  if (!row) throw new ImportReferenceError(`no activity named ${name}`);
  activityIds.set(name, row.id);
  return row.id;
}

/** The dataset names something that exists neither in it nor in the database. */
export class ImportReferenceError extends Error {
  override name = 'ImportReferenceError';
}

/**
 * Inserts a row matched by `key`, or updates it when `fields` differ; counts which. `key` and `fields`
 * map column names to values (with a `::type` suffix where a cast is needed).
 */
export async function upsert(
  em: EntityManager,
  table: string,
  key: Record<string, unknown>,
  fields: Record<string, unknown>,
  count: { created: number; updated: number; unchanged: number },
): Promise<number> {
  const column = (name: string) => name.split('::')[0]!;
  const cast = (name: string) => (name.includes('::') ? `::${name.split('::')[1]}` : '');
  const keyNames = Object.keys(key);
  const fieldNames = Object.keys(fields);
  const where = keyNames.map((name) => `${column(name)} is not distinct from ?${cast(name)}`).join(' and ');
  const [existing] = await em.execute<{ id: number; same: boolean }[]>(
    `select id, ${fieldNames.length ? `(${fieldNames.map(column).join(', ')}) is not distinct from (${fieldNames.map((n) => `?${cast(n)}`).join(', ')})` : 'true'} as same
       from "${table}" where ${where} limit 1`,
    [...Object.values(fields), ...Object.values(key)],
  );
  if (existing?.same) {
    count.unchanged++;
    return existing.id;
  }
  if (existing) {
    await em.execute(
      `update "${table}" set ${fieldNames.map((n) => `${column(n)} = ?${cast(n)}`).join(', ')} where id = ?`,
      [...Object.values(fields), existing.id],
    );
    count.updated++;
    return existing.id;
  }
  const all = [...keyNames, ...fieldNames];
  const [row] = await em.execute<{ id: number }[]>(
    `insert into "${table}" (${all.map(column).join(', ')}) values (${all.map((n) => `?${cast(n)}`).join(', ')}) returning id`,
    [...Object.values(key), ...Object.values(fields)],
  );
  count.created++;
  return row!.id;
}
