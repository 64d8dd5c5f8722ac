/** An ILIKE pattern that matches `text` anywhere, with the user's % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** `?, ?, ?` for a list of values. */
export const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

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
