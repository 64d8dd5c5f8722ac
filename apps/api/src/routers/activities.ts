import { z } from 'zod';
import {
  activityCreateInput,
  activityIdInput,
  activityListInput,
  activitySchema,
  activityUpdateInput,
  addParticipantByEmail,
  createActivity,
  deleteActivity,
  getActivity,
  idInput,
  listActivities,
  listCategories,
  listParticipants,
  mySignups,
  mySignupSchema,
  pageOf,
  participantByEmailInput,
  participantListInput,
  participantSchema,
  removeParticipantByEmail,
  signUpStudent,
  signupResultSchema,
  updateActivity,
  withdraw,
} from '@mergington/db';
import { publicProcedure, router, studentProcedure, teacherProcedure } from '../trpc.ts';

const withdrawn = z.object({ promotedStudentId: z.number().int().nullable() });

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
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await deleteActivity(ctx.em, input.id);
      return input;
    }),
});

/** A teacher's view of who is in an activity, adding or removing any student by email. */
export const participantsRouter = router({
  list: teacherProcedure
    .input(participantListInput)
    .output(pageOf(participantSchema))
    .query(({ ctx, input }) => listParticipants(ctx.em, input)),
  add: teacherProcedure
    .input(participantByEmailInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) => addParticipantByEmail(ctx.em, input.activityId, input.email)),
  remove: teacherProcedure
    .input(participantByEmailInput)
    .output(withdrawn)
    .mutation(({ ctx, input }) => removeParticipantByEmail(ctx.em, input.activityId, input.email)),
});

/** A student's own signups. */
export const signupsRouter = router({
  mine: studentProcedure.output(z.array(mySignupSchema)).query(({ ctx }) => mySignups(ctx.em, ctx.user.id)),
  join: studentProcedure
    .input(activityIdInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) => signUpStudent(ctx.em, ctx.user.id, input.activityId)),
  leave: studentProcedure
    .input(activityIdInput)
    .output(withdrawn)
    .mutation(({ ctx, input }) => withdraw(ctx.em, ctx.user.id, input.activityId)),
});
