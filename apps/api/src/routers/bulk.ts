import {
  applyBulk,
  bulkApplyInput,
  bulkPlanSchema,
  bulkPreviewInput,
  bulkResultSchema,
  previewBulk,
} from '@mergington/db';
import { router, teacherProcedure } from '../trpc.ts';

/**
 * Bulk roster changes for staff (README: Bulk operations). `preview` writes nothing; it is a mutation only
 * because its input (up to 500 emails) is too long for a GET request's URL.
 */
export const bulkRouter = router({
  preview: teacherProcedure
    .input(bulkPreviewInput)
    .output(bulkPlanSchema)
    .mutation(({ ctx, input }) => previewBulk(ctx.em, input.operation)),
  // `apply` is a reserved word of tRPC routers (Function.prototype.apply).
  commit: teacherProcedure
    .input(bulkApplyInput)
    .output(bulkResultSchema)
    .mutation(({ ctx, input }) => applyBulk(ctx.em, input)),
});
