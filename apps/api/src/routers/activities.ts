import { z } from 'zod';
import {
  activityCreateInput,
  activityListInput,
  activitySchema,
  activityUpdateInput,
  createActivity,
  deleteActivity,
  getActivity,
  idInput,
  listActivities,
  listCategories,
  pageOf,
  updateActivity,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { publicProcedure, router, teacherProcedure } from '../trpc.ts';

export const activitiesRouter = router({
  list: publicProcedure
    .input(activityListInput)
    .output(pageOf(activitySchema))
    .query(({ ctx, input }) => listActivities(ctx.em, input)),
  categories: publicProcedure.output(z.array(z.string())).query(({ ctx }) => listCategories(ctx.em)),
  get: publicProcedure
    .input(idInput)
    .output(activitySchema)
    .query(({ ctx, input }) => getActivity(ctx.em, input.id)),
  create: teacherProcedure
    .input(activityCreateInput)
    .output(activitySchema)
    .mutation(({ ctx, input }) => createActivity(ctx.em, input)),
  update: teacherProcedure
    .input(activityUpdateInput)
    .output(activitySchema)
    .mutation(({ ctx, input }) => updateActivity(ctx.em, input)),
  delete: teacherProcedure
    .input(idInput)
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteActivity(ctx.em, input.id);
      return input;
    }),
});
