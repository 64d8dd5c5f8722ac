import { z } from 'zod';
import {
  addUploadPart,
  beginUpload,
  commitUpload,
  importDatasetSchema,
  importOptionsSchema,
  importReportSchema,
} from '@mergington/db';
import { adminProcedure, router } from '../trpc.ts';

const uploadId = z.uuid();

/**
 * The importer sends a dataset in parts (begin, part..., commit); commit writes all of it in one
 * transaction, so an upload cut short writes nothing.
 */
export const importRouter = router({
  begin: adminProcedure
    .output(z.object({ uploadId }))
    .mutation(async ({ ctx }) => ({ uploadId: await beginUpload(ctx.em) })),
  part: adminProcedure
    .input(
      z.object({ uploadId, seq: z.number().int().min(0).max(100_000), part: importDatasetSchema }).strict(),
    )
    .output(z.object({ received: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await addUploadPart(ctx.em, input.uploadId, input.seq, input.part);
      return { received: true as const };
    }),
  commit: adminProcedure
    .meta({ audit: 'import' })
    .input(z.object({ uploadId, options: importOptionsSchema }).strict())
    .output(importReportSchema)
    .mutation(({ ctx, input }) => commitUpload(ctx.em, input.uploadId, input.options)),
});
