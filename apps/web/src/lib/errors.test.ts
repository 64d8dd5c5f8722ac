import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { activityCreateInput, registerInput } from '@mergington/contract';
import { TRPCClientError } from '@trpc/client';
import { fieldErrorsOf, messageOf, UNREACHABLE } from './errors.ts';

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

describe('messages of failed calls', () => {
  it('are sentences, and say in words when the server could not be reached', () => {
    const refused = new TRPCClientError('the activity is full', {
      result: { error: { message: 'the activity is full', code: -32600, data: { code: 'BAD_REQUEST' } } },
    } as never);
    expect(messageOf(refused)).toBe('The activity is full.');
    expect(
      messageOf(new TRPCClientError('Failed to fetch', { cause: new TypeError('Failed to fetch') })),
    ).toBe(UNREACHABLE);
    expect(messageOf(new Error('Wrong password for “a student”.'))).toBe('Wrong password for “a student”.');
  });
});
