// Building blocks of the API's schemas.
import { z } from 'zod';
import { GRADES, WEEKDAYS } from '../constants.ts';

/**
 * Every text input starts here: PostgreSQL's text cannot hold a NUL character, so one is a field error
 * rather than a statement the database refuses.
 */
export const textSchema = z.string().regex(/^[^\0]*$/, 'must not contain a NUL character');

export const idSchema = z.number().int().positive().max(2_147_483_647);
/**
 * Internationalised addresses (RFC 6531) in one normal form, so that two spellings of one address are one
 * person: NFC, lower-case, the domain as its ASCII (punycode) name. `new URL` does the IDNA mapping the same
 * way in Node and in browsers, so the web forms, the importer and the API agree.
 */
export function normalizeEmail(email: string): string {
  const normal = email.trim().toLowerCase().normalize('NFC');
  const at = normal.lastIndexOf('@');
  return at < 0 ? normal : normal.slice(0, at + 1) + asciiDomain(normal.slice(at + 1));
}

function asciiDomain(domain: string): string {
  // Characters that would end a URL's host are left for the pattern to refuse, never cut off.
  if (!/[^\p{ASCII}]/u.test(domain) || /[\s/\\?#:@%[\]<>|^"]/u.test(domain)) return domain;
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return domain;
  }
}

// A dot-atom of letters (any script), marks, digits, _ ' + -; then an ASCII (or punycode) host name.
const EMAIL_LOCAL_ATOM = String.raw`[\p{L}\p{M}\p{N}_'+-]+`;
const EMAIL_PATTERN = new RegExp(
  String.raw`^${EMAIL_LOCAL_ATOM}(?:\.${EMAIL_LOCAL_ATOM})*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$`,
  'u',
);
export const emailSchema = textSchema
  .overwrite(normalizeEmail)
  .max(254)
  .pipe(z.email({ pattern: EMAIL_PATTERN }));
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
