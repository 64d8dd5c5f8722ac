import {
  createEvent,
  deleteEvent,
  eventCreateInput,
  eventListInput,
  eventResultsInput,
  eventSchema,
  eventUpdateInput,
  getEvent,
  idInput,
  listEvents,
  pageOf,
  recordResults,
  updateEvent,
  visitorEventSchema,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { publicReadNamingStudents, router, teacherProcedure } from '../trpc.ts';

export const eventsRouter = router({
  list: publicReadNamingStudents({ signedIn: pageOf(eventSchema), visitor: pageOf(visitorEventSchema) })
    .input(eventListInput)
    .query(({ ctx, input }) => listEvents(ctx.em, input)),
  get: publicReadNamingStudents({ signedIn: eventSchema, visitor: visitorEventSchema })
    .input(idInput)
    .query(({ ctx, input }) => getEvent(ctx.em, input.id)),
  create: teacherProcedure
    .input(eventCreateInput)
    .output(eventSchema)
    .mutation(({ ctx, input }) => createEvent(ctx.em, input)),
  update: teacherProcedure
    .input(eventUpdateInput)
    .output(eventSchema)
    .mutation(({ ctx, input }) => updateEvent(ctx.em, input)),
  recordResults: teacherProcedure
    .input(eventResultsInput)
    .output(eventSchema)
    .mutation(({ ctx, input }) => recordResults(ctx.em, input)),
  delete: teacherProcedure
    .input(idInput)
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteEvent(ctx.em, input.id);
      return input;
    }),
});
