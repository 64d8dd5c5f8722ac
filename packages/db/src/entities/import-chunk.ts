import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A part of an import being uploaded. Nothing is imported until the upload is committed, in one
 * transaction: an importer killed mid-upload leaves only these rows, which are cleared a day later.
 */
export const ImportChunk = defineEntity({
  name: 'ImportChunk',
  properties: {
    id: p.integer().primary(),
    uploadId: p.uuid(),
    seq: p.integer(),
    payload: p.json<unknown>(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date())
      .index(),
  },
  uniques: [{ name: 'import_chunk_once', properties: ['uploadId', 'seq'] }],
});

export type ImportChunk = InferEntity<typeof ImportChunk>;
