/** Messages per field, keyed by the field's path ("termEnd", "prizes.0.description"); "(input)" for the whole. */
export type FieldErrors = Record<string, string[]>;

interface Issue {
  path?: readonly PropertyKey[];
  message: string;
}

/**
 * A zod failure's issues grouped by field: the shape the API sends as `data.fieldErrors` for a BAD_REQUEST,
 * and the one the web's forms show beside their fields. `wording` lets the web reword zod's messages for
 * people; the API keeps them as they are.
 */
export function fieldErrorsOf<T extends Issue>(
  issues: readonly T[],
  wording: (issue: T) => string = (issue) => issue.message,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path?.length ? issue.path.map(String).join('.') : '(input)';
    (errors[field] ??= []).push(wording(issue));
  }
  return errors;
}
