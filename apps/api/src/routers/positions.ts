import { z } from 'zod';
import {
  assignPosition,
  currentHolders,
  deletePosition,
  endTerm,
  idInput,
  listPositions,
  pageOf,
  positionAssignInput,
  positionCurrentInput,
  positionEndTermInput,
  positionHistory,
  positionHistoryInput,
  positionListInput,
  positionSchema,
  positionUpdateInput,
  visitorPositionSchema,
  studentPositions,
  updatePosition,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { publicReadNamingStudents, router, studentProcedure, teacherProcedure } from '../trpc.ts';

export const positionsRouter = router({
  /** Who holds which position today: public. */
  current: publicReadNamingStudents({
    signedIn: z.array(positionSchema),
    visitor: z.array(visitorPositionSchema),
  })
    .input(positionCurrentInput)
    .query(({ ctx, input }) => currentHolders(ctx.em, input.committeeId)),
  history: publicReadNamingStudents({
    signedIn: z.array(positionSchema),
    visitor: z.array(visitorPositionSchema),
  })
    .input(positionHistoryInput)
    .query(({ ctx, input }) => positionHistory(ctx.em, input)),
  mine: studentProcedure
    .output(z.array(positionSchema))
    .query(({ ctx }) => studentPositions(ctx.em, ctx.user.id)),
  list: teacherProcedure
    .input(positionListInput)
    .output(pageOf(positionSchema))
    .query(({ ctx, input }) => listPositions(ctx.em, input)),
  assign: teacherProcedure
    .input(positionAssignInput)
    .output(positionSchema)
    .mutation(({ ctx, input }) => assignPosition(ctx.em, input)),
  update: teacherProcedure
    .input(positionUpdateInput)
    .output(positionSchema)
    .mutation(({ ctx, input }) => updatePosition(ctx.em, input)),
  endTerm: teacherProcedure
    .input(positionEndTermInput)
    .output(positionSchema)
    .mutation(({ ctx, input }) => endTerm(ctx.em, input.id, input.endDate)),
  delete: teacherProcedure
    .input(idInput)
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deletePosition(ctx.em, input.id);
      return input;
    }),
});
