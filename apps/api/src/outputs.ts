import { z } from 'zod';

/**
 * What the API answers to a student leaving an activity (signups.leave, participants.remove): who took the
 * seat they left, if anyone did.
 */
export const withdrawalOutput = z.object({ promotedStudentId: z.number().int().nullable() });
