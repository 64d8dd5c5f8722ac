import {
  addParticipantByEmail,
  listParticipants,
  pageOf,
  participantAddInput,
  participantByEmailInput,
  participantListInput,
  participantSchema,
  removeParticipantByEmail,
  signupResultSchema,
} from '@mergington/db';
import { withdrawalOutput } from '../outputs.ts';
import { router, teacherProcedure } from '../trpc.ts';

/** A teacher's view of who is in an activity, adding or removing any student by email. */
export const participantsRouter = router({
  list: teacherProcedure
    .input(participantListInput)
    .output(pageOf(participantSchema))
    .query(({ ctx, input }) => listParticipants(ctx.em, input)),
  add: teacherProcedure
    .input(participantAddInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) =>
      addParticipantByEmail(ctx.em, input.activityId, input.email, {
        teacherId: ctx.user.id,
        overrideReason: input.overrideReason,
      }),
    ),
  remove: teacherProcedure
    .input(participantByEmailInput)
    .output(withdrawalOutput)
    .mutation(({ ctx, input }) => removeParticipantByEmail(ctx.em, input.activityId, input.email)),
});
