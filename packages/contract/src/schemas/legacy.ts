// The old app's HTTP API (LEGACY_API): its query parameters, validated as every other input is.
import { z } from 'zod';
import { emailSchema, normalizeEmail, textSchema } from './common.ts';

/** off: the endpoints do not exist; open: anyone may sign up anyone (the first version); teachers: the later one. */
export const LEGACY_API_MODES = ['off', 'open', 'teachers'] as const;
export type LegacyApiMode = (typeof LEGACY_API_MODES)[number];

/** `GET /activities`'s filters, as the later version took them: a day ("Monday"), times as "HH:MM". */
export const legacyActivityFilters = z
  .object({
    day: textSchema.max(20).optional(),
    start_time: textSchema.max(8).optional(),
    end_time: textSchema.max(8).optional(),
  })
  .strict();
export type LegacyActivityFilters = z.infer<typeof legacyActivityFilters>;

/** `?email=` of a signup or an unregistration: trimmed and lower-cased as everywhere. */
export const legacyEmailQuery = z.object({ email: emailSchema }).strict();

/**
 * `?email=` of an unregistration: any text, normalised as an email is. One that is not a valid address
 * cannot be signed up, so it is "not registered" (the old app's 400), not a malformed request.
 */
export const legacyUnregisterQuery = z
  .object({ email: textSchema.overwrite(normalizeEmail).max(320) })
  .strict();

/** `POST /auth/login?username=&password=`: a teacher's username or email, as the old app took them. */
export const legacyLoginQuery = z
  .object({ username: textSchema.min(1).max(254), password: textSchema.min(1).max(200) })
  .strict();

/** What `/auth/login` and `/auth/check-session` answer, in the old app's words. */
export const legacyTeacherSchema = z.object({
  username: z.string(),
  display_name: z.string(),
  role: z.enum(['teacher', 'admin']),
});
export type LegacyTeacher = z.infer<typeof legacyTeacherSchema>;

/** One activity of `GET /activities`, keyed by its name. */
export const legacyActivitySchema = z.object({
  description: z.string(),
  schedule: z.string(),
  schedule_details: z
    .object({ days: z.array(z.string()), start_time: z.string(), end_time: z.string() })
    .optional(),
  max_participants: z.number().int(),
  /** Enrolled students in signup order: emails, or for someone who is not staff in `teachers` mode, names. */
  participants: z.array(z.string()),
});
export type LegacyActivity = z.infer<typeof legacyActivitySchema>;
