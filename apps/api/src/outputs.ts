import { z } from 'zod';

/**
 * What the API answers to a student leaving an activity (signups.leave, participants.remove): who took the
 * seat they left, if anyone did.
 */
export const withdrawalOutput = z.object({ promotedStudentId: z.number().int().nullable() });

/** What every `delete` by id answers: the id of the row it removed. */
export const deletedOutput = z.object({ id: z.number().int() });
