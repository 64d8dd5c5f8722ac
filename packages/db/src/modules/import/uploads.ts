import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ImportChunk } from '../../entities/index.ts';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { applyImport, ImportReferenceError } from './apply.ts';
import { importDatasetSchema, type ImportDatasetInput, type ImportReport } from '@mergington/contract';

/** Starts an upload; parts of uploads abandoned more than a day ago are cleared on the way. */
export async function beginUpload(em: EntityManager): Promise<string> {
  await em.nativeDelete(ImportChunk, { createdAt: { $lt: new Date(Date.now() - 24 * 3600 * 1000) } });
  return randomUUID();
}

export async function addUploadPart(
  em: EntityManager,
  uploadId: string,
  seq: number,
  part: ImportDatasetInput,
): Promise<void> {
  em.create(ImportChunk, { uploadId, seq, payload: part });
  await em.flush();
}

/** Imports every part of an upload, in order, in one transaction (see applyImport), then clears the upload. */
export async function commitUpload(
  em: EntityManager,
  uploadId: string,
  options: { overflow: 'enroll' | 'waitlist'; dryRun: boolean },
): Promise<ImportReport> {
  const [{ count }] = (await em.execute<{ count: number }[]>(
    `select count(*)::int as count from import_chunk where upload_id = ?`,
    [uploadId],
  )) as [{ count: number }];
  if (count === 0) throw new NotFoundError('upload', uploadId);
  // One part in memory at a time, however large the import.
  const reader = em.fork();
  async function* parts() {
    for (let seq = 0; seq < count; seq++) {
      const [row] = await reader.execute<{ payload: ImportDatasetInput }[]>(
        `select payload from import_chunk where upload_id = ? order by seq offset ? limit 1`,
        [uploadId, seq],
      );
      yield importDatasetSchema.parse(row!.payload);
    }
  }
  try {
    return await applyImport(em, parts(), options);
  } catch (error) {
    if (error instanceof ImportReferenceError) throw new RuleViolationError(error.message);
    throw error;
  } finally {
    await em.nativeDelete(ImportChunk, { uploadId });
  }
}
