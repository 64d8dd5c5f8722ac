import { z } from 'zod';
import {
  activityIdInput,
  mySignups,
  mySignupSchema,
  signUpWithSession,
  signupResultSchema,
  withdraw,
} from '@mergington/db';
import { withdrawalOutput } from '../outputs.ts';
import { router, sessionCheckedByOperationProcedure, studentProcedure } from '../trpc.ts';

/** A student's own signups. */
export const signupsRouter = router({
  mine: studentProcedure.output(z.array(mySignupSchema)).query(({ ctx }) => mySignups(ctx.em, ctx.user.id)),
  // A student's; the signup statement checks the session (the rush's one call: one round trip less).
  join: sessionCheckedByOperationProcedure
    .input(activityIdInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) => signUpWithSession(ctx.em, ctx.token, input.activityId)),
  leave: studentProcedure
    .input(activityIdInput)
    .output(withdrawalOutput)
    .mutation(({ ctx, input }) => withdraw(ctx.em, ctx.user.id, input.activityId)),
});
