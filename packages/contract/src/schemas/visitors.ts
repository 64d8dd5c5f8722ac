// What a visitor who is not signed in sees of students, who are minors: a first name and a last initial
// ("Emma J."), never an id, an email or a grade. Each schema here is parsed from the signed-in shape of
// the same answer: a zod object keeps only the keys it lists, so whatever the full answer carries, the
// visitor's copy cannot hold a student id; names go through publicName on the way.
import { z } from 'zod';
import { publicName } from '../names.ts';
import { eventSchema, feedbackSchema, groupSchema, positionSchema } from './school.ts';

/** A student as a visitor sees them: "Emma J.", no id. */
export const visitorStudentSchema = z.object({ name: z.string().transform(publicName) });

export const visitorPositionSchema = positionSchema.extend({ student: visitorStudentSchema });

export const visitorEventSchema = eventSchema.extend({
  results: z.array(
    // A winner is a student (shortened) or a group (by its name).
    eventSchema.shape.results.element.transform(({ studentId, ...result }) =>
      studentId === null ? result : { ...result, winner: publicName(result.winner) },
    ),
  ),
});

export const visitorGroupSchema = groupSchema.extend({
  leader: visitorStudentSchema.nullable(),
  members: z.array(
    z.object({ name: z.string().transform(publicName), role: groupSchema.shape.members.element.shape.role }),
  ),
});

export const visitorFeedbackSchema = feedbackSchema.extend({ student: visitorStudentSchema });
