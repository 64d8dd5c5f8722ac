// The canonical format, one record a line, for files too large to read whole: the CLI streams them, line
// by line, and never holds more than one uploaded part of them. Pure functions, like legacy.ts.
import type { z } from 'zod';
import { importDatasetSchema, type ImportDatasetInput } from '@mergington/contract';
import { invalidJson, type Problem } from './legacy.ts';

/**
 * The first line of such a file: `{"format":"mergington/v1-lines"}`. Every other line is one record,
 * `{"<table>": <record>}`, with the tables and records of the canonical format (`{"students": {"email":
 * ...}}`). Records are applied in file order, so a record comes after those it refers to (a committee
 * before its positions), as the canonical document's tables are ordered. Blank lines are skipped.
 */
export const CANONICAL_LINES_FORMAT = 'mergington/v1-lines';

/** The file name endings read as the line-delimited canonical format. */
export const LINES_EXTENSIONS = ['.jsonl', '.ndjson'] as const;

type Table = keyof ImportDatasetInput;
const TABLES = Object.keys(importDatasetSchema.shape) as Table[];
const recordSchemas = new Map<string, z.ZodType>(
  TABLES.map((table) => [table, importDatasetSchema.shape[table].unwrap().element]),
);

export type CanonicalLine = { table: Table; record: unknown } | { problems: Problem[] } | null;

/** Checks a lines file's first line: a problem, or undefined when it is the header. */
export function checkLinesHeader(file: string, text: string): Problem | undefined {
  const header = jsonLine(file, 1, text);
  if ('problem' in header) return header.problem;
  const value = header.value as { format?: unknown } | null;
  if (typeof value === 'object' && value !== null && value.format === CANONICAL_LINES_FORMAT)
    return undefined;
  return {
    file,
    record: 'line 1',
    field: 'format',
    message: `a .jsonl file starts with {"format":"${CANONICAL_LINES_FORMAT}"}`,
  };
}

/** Reads one record line (numbered from 1, the header being line 1): the record, its problems, or null if blank. */
export function readCanonicalLine(file: string, lineNumber: number, text: string): CanonicalLine {
  if (!text.trim()) return null;
  const parsed = jsonLine(file, lineNumber, text);
  if ('problem' in parsed) return { problems: [parsed.problem] };
  const value = parsed.value;
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  const table = keys[0] as Table;
  if (keys.length !== 1 || !(TABLES as readonly string[]).includes(table)) {
    return {
      problems: [
        {
          file,
          record: `line ${lineNumber}`,
          field: '',
          message: `expected one record as {"<table>": {...}}, the table one of ${TABLES.join(', ')}`,
        },
      ],
    };
  }
  const result = recordSchemas.get(table)!.safeParse((value as Record<string, unknown>)[table]);
  if (result.success) return { table, record: result.data };
  return {
    problems: result.error.issues.map((issue) => ({
      file,
      record: `line ${lineNumber} (${table})`,
      field: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

function jsonLine(file: string, lineNumber: number, text: string): { value: unknown } | { problem: Problem } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const { position, message } = invalidJson(error, text);
    return { problem: { file, record: `line ${lineNumber}, column ${position + 1}`, field: '', message } };
  }
}
