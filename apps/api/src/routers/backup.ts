import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { BackupError, backupDatabase, restoreDatabase, RuleViolationError } from '@mergington/db';
import { MAX_RESTORE_BODY_BYTES } from '../limits.ts';
import { adminProcedure, router } from '../trpc.ts';

/** A temporary file for one backup, removed when done. */
async function withTempFile<T>(work: (file: string) => Promise<T>): Promise<T> {
  const file = join(tmpdir(), `mergington-${randomBytes(8).toString('hex')}.backup.gz`);
  try {
    return await work(file);
  } finally {
    await rm(file, { force: true });
  }
}

const summarySchema = z.object({
  schemaVersion: z.string(),
  tables: z.record(z.string(), z.object({ rows: z.number().int(), sha256: z.string() })),
});

/** The same backups as `pnpm db:backup` / `db:restore`, for admins through the API (base64 over JSON). */
export const backupRouter = router({
  create: adminProcedure
    .meta({ audit: 'own-transactions' })
    .output(summarySchema.extend({ data: z.string() }))
    .mutation(({ ctx }) =>
      withTempFile(async (file) => {
        const summary = await backupDatabase(ctx.orm.config.get('clientUrl')!, file);
        return { ...summary, data: (await readFile(file)).toString('base64') };
      }),
    ),
  restore: adminProcedure
    .meta({ audit: 'own-transactions' })
    .input(
      z.object({ data: z.base64().max(MAX_RESTORE_BODY_BYTES), force: z.boolean().default(false) }).strict(),
    )
    .output(summarySchema)
    .mutation(({ ctx, input }) =>
      withTempFile(async (file) => {
        await writeFile(file, Buffer.from(input.data, 'base64'));
        return restoreDatabase(ctx.orm.config.get('clientUrl')!, file, { force: input.force }).catch(
          (error: unknown) => {
            throw error instanceof BackupError ? new RuleViolationError(error.message) : error;
          },
        );
      }),
    ),
});
