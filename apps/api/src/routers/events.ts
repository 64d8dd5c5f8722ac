import { z } from 'zod';
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
} from '@mergington/db';
import { publicProcedure, router, teacherProcedure } from '../trpc.ts';

export const eventsRouter = router({
  list: publicProcedure
    .input(eventListInput)
    .output(pageOf(eventSchema))
    .query(({ ctx, input }) => listEvents(ctx.em, input)),
  get: publicProcedure
    .input(idInput)
    .output(eventSchema)
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
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await deleteEvent(ctx.em, input.id);
      return input;
    }),
});
