import { z } from 'zod';
import {
  activityIdInput,
  mySignups,
  mySignupSchema,
  signUpStudent,
  signupResultSchema,
  withdraw,
} from '@mergington/db';
import { withdrawalOutput } from '../outputs.ts';
import { router, studentProcedure } from '../trpc.ts';

/** A student's own signups. */
export const signupsRouter = router({
  mine: studentProcedure.output(z.array(mySignupSchema)).query(({ ctx }) => mySignups(ctx.em, ctx.user.id)),
  join: studentProcedure
    .input(activityIdInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) => signUpStudent(ctx.em, ctx.user.id, input.activityId)),
  leave: studentProcedure
    .input(activityIdInput)
    .output(withdrawalOutput)
    .mutation(({ ctx, input }) => withdraw(ctx.em, ctx.user.id, input.activityId)),
});
