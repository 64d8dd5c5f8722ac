import { z } from 'zod';
import {
  cancelRoundActivity,
  cancelRoundActivityInput,
  cancelRoundActivitySchema,
  createRound,
  getRound,
  listRounds,
  myRounds,
  myRoundSchema,
  previewAllocation,
  previewInput,
  previewSchema,
  publishAllocation,
  publishInput,
  rankingInput,
  roundCreateInput,
  roundIdInput,
  roundSchema,
  roundUpdateInput,
  roundWhy,
  roundWhyInput,
  roundWhySchema,
  setRanking,
  updateRound,
} from '@mergington/db';
import { adminProcedure, publicProcedure, router, studentProcedure } from '../trpc.ts';

/**
 * Signup rounds: anyone may see when a round opens and closes; students rank and see where they stand;
 * admins set rounds up and run, publish and amend their lotteries.
 */
export const roundsRouter = router({
  list: publicProcedure.output(z.array(roundSchema)).query(({ ctx }) => listRounds(ctx.em)),
  get: publicProcedure
    .input(roundIdInput)
    .output(roundSchema)
    .query(({ ctx, input }) => getRound(ctx.em, input.roundId)),
  create: adminProcedure
    .input(roundCreateInput)
    .output(roundSchema)
    .mutation(({ ctx, input }) => createRound(ctx.em, input)),
  update: adminProcedure
    .input(roundUpdateInput)
    .output(roundSchema)
    .mutation(({ ctx, input }) => updateRound(ctx.em, input)),
  mine: studentProcedure.output(z.array(myRoundSchema)).query(({ ctx }) => myRounds(ctx.em, ctx.user.id)),
  rank: studentProcedure
    .input(rankingInput)
    .output(myRoundSchema)
    .mutation(({ ctx, input }) => setRanking(ctx.em, ctx.user.id, input)),
  // A mutation, not a query: each call draws a new seed unless given one, so it must not be cached.
  preview: adminProcedure
    .input(previewInput)
    .output(previewSchema)
    .mutation(({ ctx, input }) => previewAllocation(ctx.em, input.roundId, input.seed)),
  publish: adminProcedure
    .input(publishInput)
    .output(previewSchema)
    .mutation(({ ctx, input }) => publishAllocation(ctx.em, input)),
  why: adminProcedure
    .input(roundWhyInput)
    .output(roundWhySchema)
    .query(({ ctx, input }) => roundWhy(ctx.em, input.roundId, input.studentId)),
  cancelActivity: adminProcedure
    .input(cancelRoundActivityInput)
    .output(cancelRoundActivitySchema)
    .mutation(({ ctx, input }) => cancelRoundActivity(ctx.em, input)),
});
