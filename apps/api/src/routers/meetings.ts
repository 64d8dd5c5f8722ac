import { z } from 'zod';
import {
  addMeeting,
  listMeetings,
  meetingAddInput,
  meetingCancelInput,
  meetingListInput,
  meetingMoveInput,
  meetingSchema,
  moveMeeting,
  setMeetingCancelled,
} from '@mergington/db';
import { authedProcedure, router, teacherProcedure } from '../trpc.ts';

export const meetingsRouter = router({
  /** An activity's meetings between two days of the school's calendar (generated, not stored). */
  list: authedProcedure
    .input(meetingListInput)
    .output(z.array(meetingSchema))
    .query(({ ctx, input }) => listMeetings(ctx.em, input.activityId, input.from, input.to)),
  add: teacherProcedure
    .input(meetingAddInput)
    .output(meetingSchema)
    .mutation(({ ctx, input }) => addMeeting(ctx.em, input)),
  cancel: teacherProcedure
    .input(meetingCancelInput)
    .output(meetingSchema)
    .mutation(({ ctx, input }) => setMeetingCancelled(ctx.em, input.meeting, input.cancelled)),
  move: teacherProcedure
    .input(meetingMoveInput)
    .output(meetingSchema)
    .mutation(({ ctx, input }) => moveMeeting(ctx.em, input)),
});
