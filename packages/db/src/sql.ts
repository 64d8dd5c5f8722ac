import type { EntityManager } from '@mikro-orm/postgresql';

/** An ILIKE pattern that matches `text` anywhere, with the user's % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** A value sent as a bind parameter; a list becomes `?, ?, ?` (MikroORM's meaning), for `in (...)`. */
export type SqlValue = string | number | boolean | Date | null | readonly (string | number)[];

/** A piece of SQL and the values it is sent with; built by `sql`, run by `query`. */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: readonly SqlValue[],
  ) {}
}

/**
 * The one way to build a dynamic read: sql`select ... where a.id = ${id}` sends each ${value} as a bind
 * parameter where it stands (named by the expression, not counted), and splices each ${sql`...`} in with
 * its own values, so conditions and columns compose without pasting strings. A `?` written in the text is
 * a literal question mark, never a placeholder.
 */
export function sql(strings: TemplateStringsArray, ...parts: (SqlValue | Sql)[]): Sql {
  let text = escapeMarks(strings[0]!);
  const values: SqlValue[] = [];
  parts.forEach((part, index) => {
    if (part instanceof Sql) {
      text += part.text;
      values.push(...part.values);
    } else {
      text += '?';
      values.push(part);
    }
    text += escapeMarks(strings[index + 1]!);
  });
  return new Sql(text, values);
}

/** Pieces joined by a separator, e.g. the conditions of a `where`. */
export function joinSql(pieces: readonly Sql[], separator: string): Sql {
  return new Sql(
    pieces.map((piece) => piece.text).join(separator),
    pieces.flatMap((piece) => piece.values),
  );
}

/** `where <all the conditions>`, or nothing when there are none. */
export function whereAll(conditions: readonly Sql[]): Sql {
  return conditions.length ? sql`where ${joinSql(conditions, ' and ')}` : sql``;
}

/** Runs a statement built with `sql`; `Row` is what each row holds (see row-types.test.ts). */
export function query<Row>(em: EntityManager, statement: Sql): Promise<Row[]> {
  return em.execute<Row[]>(statement.text, [...statement.values]);
}

/** MikroORM reads `?` as a placeholder and `\?` as a literal question mark. */
const escapeMarks = (text: string) => text.replace(/\?/g, '\\?');

/** A PostgreSQL array literal, for bulk statements over unnest(): `{"a","b"}`, `{1,2}`. */
export function pgArray(values: readonly (string | number | boolean | null)[]): string {
  const item = (value: string | number | boolean | null) =>
    value === null
      ? 'NULL'
      : typeof value === 'string'
        ? `"${value.replace(/[\\"]/g, '\\$&')}"`
        : String(value);
  return `{${values.map(item).join(',')}}`;
}
