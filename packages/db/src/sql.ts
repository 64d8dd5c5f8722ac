import type { EntityManager } from '@mikro-orm/postgresql';

/** Raw SQL on the EntityManager's connection, inside its transaction when it has one. */
export function query<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/** An ILIKE pattern that matches `text` anywhere, with the user's % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** `?, ?, ?` for a list of values. */
export const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');
