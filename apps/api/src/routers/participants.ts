import {
  addNewStudent,
  addParticipant,
  listParticipants,
  pageOf,
  participantAddInput,
  participantByEmailInput,
  participantListInput,
  participantNewStudentInput,
  participantSchema,
  removeParticipantByEmail,
  signupResultSchema,
} from '@mergington/db';
import { withdrawalOutput } from '../outputs.ts';
import { router, teacherProcedure } from '../trpc.ts';

/** A teacher's view of who is in an activity, adding or removing any student the school knows. */
export const participantsRouter = router({
  list: teacherProcedure
    .input(participantListInput)
    .output(pageOf(participantSchema))
    .query(({ ctx, input }) => listParticipants(ctx.em, input)),
  add: teacherProcedure
    .input(participantAddInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) => addParticipant(ctx.em, input)),
  addNewStudent: teacherProcedure
    .input(participantNewStudentInput)
    .output(signupResultSchema)
    .mutation(({ ctx, input }) => addNewStudent(ctx.em, input)),
  remove: teacherProcedure
    .input(participantByEmailInput)
    .output(withdrawalOutput)
    .mutation(({ ctx, input }) => removeParticipantByEmail(ctx.em, input.activityId, input.email)),
});
