// The shapes that cross the API, shared by the server, the web app and the importer.
import { z } from 'zod';
import { WEEKDAYS } from './constants.ts';

export const activitySummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  schedule: z.string(),
  scheduleDays: z.array(z.enum(WEEKDAYS)).nullable(),
  /** "HH:MM" */
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  category: z.string().nullable(),
  allowedGrades: z.array(z.number().int()).nullable(),
  maxParticipants: z.number().int(),
  enrolledCount: z.number().int(),
  spotsLeft: z.number().int(),
  waitlistCount: z.number().int(),
});

export type ActivitySummary = z.infer<typeof activitySummarySchema>;
