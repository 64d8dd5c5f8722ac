import { z } from 'zod';
import {
  closureCreateInput,
  closureSchema,
  createClosure,
  deleteClosure,
  idInput,
  listClosures,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

export const closuresRouter = router({
  list: authedProcedure.output(z.array(closureSchema)).query(({ ctx }) => listClosures(ctx.em)),
  create: adminProcedure
    .input(closureCreateInput)
    .output(closureSchema)
    .mutation(({ ctx, input }) => createClosure(ctx.em, input)),
  delete: adminProcedure
    .input(idInput)
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteClosure(ctx.em, input.id);
      return input;
    }),
});
