import { TRPCClientError } from '@trpc/client';
import type { z } from 'zod';
import { fieldErrorsOf as groupByField, type FieldErrors } from '@mergington/contract/field-errors';
import { capitalize } from './format.ts';

export type { FieldErrors };

/** The field errors of a zod failure, grouped as the API groups them, worded for people. */
export const fieldErrorsOf = (issues: readonly z.core.$ZodIssue[]): FieldErrors =>
  groupByField(issues, plainMessage);

/**
 * What a person filling in a form needs to read, for the issues zod words for programmers ("Too small:
 * expected string to have >=1 characters"). The schemas' own messages ("must be 9, 10, 11 or 12") stay.
 */
export function plainMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // Issues carry no input by default; their message names what was received.
      if (/received (undefined|null)$/.test(issue.message)) return 'is required';
      return issue.expected === 'number' ? 'must be a number' : issue.message;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'is required' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'number') return `must be at least ${issue.minimum}`;
      if (issue.origin === 'array') return Number(issue.minimum) <= 1 ? 'choose at least one' : issue.message;
      return issue.message;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'number') return `must be at most ${issue.maximum}`;
      return issue.message;
    case 'invalid_format':
      return issue.format === 'email' ? 'must be an email address' : issue.message;
    case 'invalid_value':
      return 'choose one of the options';
    default:
      return issue.message;
  }
}

/** A call refused for want of a session (or for a wrong password: the API says UNAUTHORIZED for both). */
export const isNotSignedIn = (error: unknown) =>
  error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';

/** Such refusals of calls made while someone was signed in: their session may have ended (`trpc.ts`). */
const refusedInSession = new WeakSet<object>();
export const markRefusedInSession = (error: object) => refusedInSession.add(error);
export const wasRefusedInSession = (error: unknown) =>
  typeof error === 'object' && error !== null && refusedInSession.has(error);

/** The API's field errors of a failed call, when it refused the input. */
export function apiFieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { fieldErrors?: FieldErrors } | undefined;
  return data?.fieldErrors ?? null;
}

/** Said instead of the browser's words for a request that got no answer ("Failed to fetch", "Load failed"). */
const UNREACHABLE = "We can't reach the school's server. Check your connection, then try again.";

/** The API's messages are lowercase ("sign in first"): shown on their own, they become sentences. */
const sentence = (message: string) => capitalize(message) + (/[.!?…]$/.test(message) ? '' : '.');

/** One sentence for a failed call: the API's own message, or what went wrong on the way. */
export function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    // No error from the API: the request never reached it (offline, server down), or no API answered it.
    if (!error.shape) return UNREACHABLE;
    const code = (error.data as { code?: string } | undefined)?.code;
    if (code === 'SERVICE_UNAVAILABLE') return 'The school database is not answering. Try again in a moment.';
    return sentence(error.message);
  }
  if (error instanceof Error) return sentence(error.message);
  return 'Something went wrong.';
}
