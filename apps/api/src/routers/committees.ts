import {
  committeeCreateInput,
  committeeListInput,
  committeeSchema,
  committeeUpdateInput,
  createCommittee,
  deleteCommittee,
  getCommittee,
  idInput,
  listCommittees,
  pageOf,
  updateCommittee,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { publicProcedure, router, teacherProcedure } from '../trpc.ts';

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
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteCommittee(ctx.em, input.id);
      return input;
    }),
});
