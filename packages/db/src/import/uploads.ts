import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ImportChunk } from '../entities/index.ts';
import { NotFoundError, RuleViolationError } from '../errors.ts';
import { query } from '../sql.ts';
import { applyImport, ImportReferenceError } from './apply.ts';
import { importDatasetSchema, type ImportDatasetInput, type ImportReport } from './dataset.ts';
import { mergeDatasets } from './legacy.ts';

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

/** Imports every part of an upload in one transaction (see applyImport), then clears the upload. */
export async function commitUpload(
  em: EntityManager,
  uploadId: string,
  options: { overflow: 'enroll' | 'waitlist'; dryRun: boolean },
): Promise<ImportReport> {
  const parts = await query<{ payload: ImportDatasetInput }>(
    em,
    `select payload from import_chunk where upload_id = ? order by seq`,
    [uploadId],
  );
  if (parts.length === 0) throw new NotFoundError('upload', uploadId);
  const dataset = importDatasetSchema.parse(mergeDatasets(parts.map((part) => part.payload)));
  try {
    return await applyImport(em, dataset, options);
  } catch (error) {
    if (error instanceof ImportReferenceError) throw new RuleViolationError(error.message);
    throw error;
  } finally {
    await em.nativeDelete(ImportChunk, { uploadId });
  }
}
