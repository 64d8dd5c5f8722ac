// Building blocks of the API's schemas.
import { z } from 'zod';
import { GRADES, WEEKDAYS } from '../constants.ts';

/**
 * Every text input starts here: PostgreSQL's text cannot hold a NUL character, so one is a field error
 * rather than a statement the database refuses.
 */
export const textSchema = z.string().regex(/^[^\0]*$/, 'must not contain a NUL character');

export const idSchema = z.number().int().positive().max(2_147_483_647);
export const emailSchema = textSchema.trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = textSchema.min(8, 'must be at least 8 characters').max(200);
export const personNameSchema = textSchema.trim().min(1).max(200);
export const gradeSchema = z
  .number()
  .int()
  .refine((grade) => (GRADES as readonly number[]).includes(grade), 'must be 9, 10, 11 or 12');
export const usernameSchema = textSchema
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}$/, 'must be 2-64 letters, digits, dots, dashes or underscores');
/** "HH:MM", 24-hour. */
export const timeSchema = textSchema.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 15:30');
export const weekdaySchema = z.enum(WEEKDAYS);

export const pageInput = {
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Free text to search for: trimmed, bounded; empty means no filter. */
export const searchSchema = textSchema.trim().max(100).optional();
