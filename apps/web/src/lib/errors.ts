import { TRPCClientError } from '@trpc/client';
import type { z } from 'zod';

/** Messages per field, keyed by the field's path ("termEnd", "prizes.0.description"). */
export type FieldErrors = Record<string, string[]>;

/** The field errors of a zod failure, the same shape the API sends for a BAD_REQUEST. */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(input)';
    (errors[field] ??= []).push(issue.message);
  }
  return errors;
}

/** The API's field errors of a failed call, when it refused the input. */
export function apiFieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { fieldErrors?: FieldErrors } | undefined;
  return data?.fieldErrors ?? null;
}

/** One sentence for a failed call: the API's own message, or what went wrong on the way. */
export function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    if (code === 'SERVICE_UNAVAILABLE') return 'The school database is not answering. Try again in a moment.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
