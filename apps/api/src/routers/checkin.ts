import {
  checkIn,
  checkinCode,
  checkinCodeOutput,
  checkinInput,
  checkinOpenInput,
  checkinResultSchema,
  closeCheckin,
  meetingIdInput,
  openCheckin,
} from '@mergington/db';
import { router, studentProcedure, teacherProcedure } from '../trpc.ts';

export const checkinRouter = router({
  /** Opens self check-in for a meeting and answers its current code (and the QR link's path). */
  open: teacherProcedure
    .input(checkinOpenInput)
    .output(checkinCodeOutput)
    .mutation(({ ctx, input }) => openCheckin(ctx.em, input.meeting, input.graceMinutes)),
  /** The current code: it changes every 30 seconds, so the teacher's screen asks again. */
  code: teacherProcedure
    .input(meetingIdInput)
    .output(checkinCodeOutput)
    .query(({ ctx, input }) => checkinCode(ctx.em, input.meetingId)),
  close: teacherProcedure
    .input(meetingIdInput)
    .output(meetingIdInput)
    .mutation(async ({ ctx, input }) => {
      await closeCheckin(ctx.em, input.meetingId);
      return input;
    }),
  /** An enrolled student checks themselves in with the code shown. */
  submit: studentProcedure
    .input(checkinInput)
    .output(checkinResultSchema)
    .mutation(({ ctx, input }) => checkIn(ctx.em, ctx.user.id, input.meetingId, input.code)),
});
