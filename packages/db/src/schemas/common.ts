// Building blocks of the API's schemas.
import { z } from 'zod';
import { GRADES, WEEKDAYS } from '../constants.ts';

export const idSchema = z.number().int().positive().max(2_147_483_647);
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(200);
export const personNameSchema = z.string().trim().min(1).max(200);
export const gradeSchema = z
  .number()
  .int()
  .refine((grade) => (GRADES as readonly number[]).includes(grade), 'must be 9, 10, 11 or 12');
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}$/, 'must be 2-64 letters, digits, dots, dashes or underscores');
/** "HH:MM", 24-hour. */
export const timeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 15:30');
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
export const searchSchema = z.string().trim().max(100).optional();
