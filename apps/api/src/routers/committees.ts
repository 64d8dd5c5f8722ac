import { z } from 'zod';
import {
  assignPosition,
  committeeCreateInput,
  committeeListInput,
  committeeSchema,
  committeeUpdateInput,
  createCommittee,
  currentHolders,
  deleteCommittee,
  deletePosition,
  endTerm,
  getCommittee,
  idInput,
  listCommittees,
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
  updateCommittee,
  updatePosition,
} from '@mergington/db';
import {
  publicProcedure,
  publicReadNamingStudents,
  router,
  studentProcedure,
  teacherProcedure,
} from '../trpc.ts';

const deleted = z.object({ id: z.number().int() });

export const committeesRouter = router({
  list: publicProcedure
    .input(committeeListInput)
    .output(pageOf(committeeSchema))
    .query(({ ctx, input }) => listCommittees(ctx.em, input)),
  get: publicProcedure
    .input(idInput)
    .output(committeeSchema)
    .query(({ ctx, input }) => getCommittee(ctx.em, input.id)),
  create: teacherProcedure
    .input(committeeCreateInput)
    .output(committeeSchema)
    .mutation(({ ctx, input }) => createCommittee(ctx.em, input)),
  update: teacherProcedure
    .input(committeeUpdateInput)
    .output(committeeSchema)
    .mutation(({ ctx, input }) => updateCommittee(ctx.em, input)),
  delete: teacherProcedure
    .input(idInput)
    .output(deleted)
    .mutation(async ({ ctx, input }) => {
      await deleteCommittee(ctx.em, input.id);
      return input;
    }),
});

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
    .query(({ ctx, input }) => positionHistory(ctx.em, input.committeeId, input.positionName)),
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
    .output(deleted)
    .mutation(async ({ ctx, input }) => {
      await deletePosition(ctx.em, input.id);
      return input;
    }),
});
