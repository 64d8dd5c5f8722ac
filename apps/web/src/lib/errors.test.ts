import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { activityCreateInput, registerInput } from '@mergington/contract';
import { fieldErrorsOf, messageOf } from './errors.ts';

const errorsOf = (schema: z.ZodType, value: unknown) =>
  fieldErrorsOf(schema.safeParse(value).error?.issues ?? []);

describe('form errors', () => {
  it('are worded for the person filling in the form, field by field', () => {
    expect(errorsOf(registerInput, { email: 'nope', name: '', grade: 13, password: 'short' })).toEqual({
      email: ['must be an email address'],
      name: ['is required'],
      grade: ['must be 9, 10, 11 or 12'],
      password: ['must be at least 8 characters'],
    });
    expect(errorsOf(activityCreateInput, { name: 'x'.repeat(121), maxParticipants: Number.NaN })).toEqual({
      name: ['must be at most 120 characters'],
      maxParticipants: ['must be a number'],
    });
    expect(errorsOf(activityCreateInput, { name: 'Chess', maxParticipants: 0 })).toEqual({
      maxParticipants: ['must be at least 1'],
    });
  });

  it('keep the rules the schemas state themselves', () => {
    expect(
      errorsOf(activityCreateInput, {
        name: 'Chess',
        maxParticipants: 5,
        scheduleDays: ['monday'],
        startTime: '16:00',
        endTime: '15:00',
      }),
    ).toEqual({ endTime: ['must be after the start time'] });
  });
});

describe('the message of a failed call', () => {
  it("says the school's server cannot be reached, not the browser's words, when no answer came", () => {
    for (const words of ['Failed to fetch', 'Load failed', 'NetworkError when attempting to fetch resource.'])
      expect(messageOf(TRPCClientError.from(new TypeError(words)))).toBe(
        "We can't reach the school's server. Check your connection, then try again.",
      );
  });

  const refusal = (message: string) =>
    TRPCClientError.from({ error: { code: -32600, message, data: { code: 'BAD_REQUEST' } } });

  it("is the API's own when the API answered, as a sentence", () => {
    expect(messageOf(refusal('sign in first'))).toBe('Sign in first.');
    expect(messageOf(refusal('Over the limits. State a reason to override them.'))).toBe(
      'Over the limits. State a reason to override them.',
    );
    expect(messageOf(refusal('student 25 was not found'))).toBe('Student 25 was not found.');
  });
});
