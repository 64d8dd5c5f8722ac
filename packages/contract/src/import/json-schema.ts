import { z } from 'zod';
import { CANONICAL_FORMAT, importDatasetSchema } from './dataset.ts';

/** The JSON Schema of the canonical import format, generated from the zod schemas the API validates with. */
export function canonicalJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(importDatasetSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, unknown>;
  } & Record<string, unknown>;
  return {
    ...schema,
    title: 'Mergington Activities import format',
    properties: { format: { const: CANONICAL_FORMAT }, ...schema.properties },
    required: ['format'],
  };
}
