import { z } from 'zod';
import {
  activityIdInput,
  deleteOwnFeedback,
  feedbackHideInput,
  feedbackListInput,
  feedbackPublicInput,
  feedbackSchema,
  feedbackSubmitInput,
  listFeedback,
  myFeedback,
  pageOf,
  ratingDistribution,
  ratingDistributionSchema,
  setFeedbackHidden,
  submitFeedback,
  visitorFeedbackSchema,
} from '@mergington/db';
import {
  publicProcedure,
  publicReadNamingStudents,
  router,
  studentProcedure,
  teacherProcedure,
} from '../trpc.ts';

export const feedbackRouter = router({
  /** Reviews anyone may read: hidden ones left out. */
  forActivity: publicReadNamingStudents({
    signedIn: pageOf(feedbackSchema),
    visitor: pageOf(visitorFeedbackSchema),
  })
    .input(feedbackPublicInput)
    .query(({ ctx, input }) => listFeedback(ctx.em, { ...input, publicOnly: true })),
  distribution: publicProcedure
    .input(activityIdInput)
    .output(ratingDistributionSchema)
    .query(({ ctx, input }) => ratingDistribution(ctx.em, input.activityId)),
  mine: studentProcedure.output(z.array(feedbackSchema)).query(({ ctx }) => myFeedback(ctx.em, ctx.user.id)),
  /** Once per activity: submitting again replaces it. */
  submit: studentProcedure
    .input(feedbackSubmitInput)
    .output(feedbackSchema)
    .mutation(({ ctx, input }) => submitFeedback(ctx.em, ctx.user.id, input)),
  delete: studentProcedure
    .input(activityIdInput)
    .output(z.object({ activityId: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await deleteOwnFeedback(ctx.em, ctx.user.id, input.activityId);
      return input;
    }),
  /** Every review, hidden ones too. */
  list: teacherProcedure
    .input(feedbackListInput)
    .output(pageOf(feedbackSchema))
    .query(({ ctx, input }) => listFeedback(ctx.em, input)),
  setHidden: teacherProcedure
    .input(feedbackHideInput)
    .output(feedbackSchema)
    .mutation(({ ctx, input }) => setFeedbackHidden(ctx.em, input.id, input.hidden)),
});
