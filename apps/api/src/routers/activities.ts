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
  type EntityManager,
  type Viewer,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import type { Context } from '../context.ts';
import { publicProcedure, router, sessionUserOf, teacherProcedure } from '../trpc.ts';

/** A signed-in student sees their own standing in each activity; anyone else sees none. */
async function viewerOf(ctx: Context & { em: EntityManager }): Promise<Viewer> {
  const user = await sessionUserOf(ctx);
  return user?.kind === 'student' ? { studentId: user.id } : null;
}

export const activitiesRouter = router({
  list: publicProcedure
    .input(activityListInput)
    .output(pageOf(activitySchema))
    .query(async ({ ctx, input }) => listActivities(ctx.em, input, await viewerOf(ctx))),
  categories: publicProcedure.output(z.array(z.string())).query(({ ctx }) => listCategories(ctx.em)),
  get: publicProcedure
    .input(idInput)
    .output(activitySchema)
    .query(async ({ ctx, input }) => getActivity(ctx.em, input.id, await viewerOf(ctx))),
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
