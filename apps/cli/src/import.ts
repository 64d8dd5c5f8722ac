import type { MergingtonClient } from '@mergington/client';
import {
  canonicalJsonSchema,
  IMPORT_TABLES,
  type ImportDatasetInput,
  type ImportReport,
} from '@mergington/contract';
import { parseCommandLine } from './args.ts';
import { describeProblem, legacyFormatSchema, readLegacyFiles } from './readers/legacy.ts';
import { asAdmin, AUTH_OPTIONS } from './api.ts';
import { type LinesFile, readLinesFile, readSourceFiles } from './files.ts';

export const IMPORT_HELP = `Usage: mergington import <files or folders...> [options]

Reads the old app's JSON files (every shape it has had, detected by itself) or the canonical format
(a .json document, or .jsonl / .ndjson with one record a line, streamed: for large files), checks all
of it, then imports it in one transaction: everything, or on any problem nothing.

Options:
  --format <f>          Read every file as: activities, teachers, users or canonical
  --email-domain <d>    Teachers' emails are <username>@<d> (default: the participants' common domain)
  --overflow <mode>     Participants beyond the seats: enroll (default, with a warning) or waitlist
  --skip-invalid        Import the valid records and list the ones skipped, instead of stopping
  --dry-run             Say what would be created, updated or left unchanged; write nothing
  --json                Print the report as JSON
  --schema              Print the JSON Schema of the canonical format, and stop
  --url <url>           The API's tRPC endpoint (default: $MERGINGTON_URL or http://127.0.0.1:3000/trpc)
  --token <token>       An admin's session token (default: $MERGINGTON_TOKEN)
  --login <login>       Or an admin's email or username, with --password ($MERGINGTON_LOGIN, $MERGINGTON_PASSWORD)
  --password <p>
  -h, --help            Show this help
`;

/** Records per uploaded part: large files go in pieces, never whole in one request or in memory. */
const PART_SIZE = 5_000;
/**
 * JSON bytes per uploaded part: half the API's smallest body limit (MAX_BODY_BYTES, at least 1 MiB), so
 * that a part of long texts fits too. One record larger than this (at most an activity of 10,000
 * participants, about 600 KB) goes alone.
 */
export const PART_BYTES = 512 * 1024;

export async function importCommand(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    format: { type: 'string' },
    'email-domain': { type: 'string' },
    overflow: { type: 'string', default: 'enroll' },
    'skip-invalid': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...AUTH_OPTIONS,
    schema: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.schema) {
    out(JSON.stringify(canonicalJsonSchema(), null, 2));
    return 0;
  }
  if (values.help) {
    out(IMPORT_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    err(`error: name the files or folders to import\n\n${IMPORT_HELP}`);
    return 2;
  }
  const format = values.format === undefined ? undefined : legacyFormatSchema.safeParse(values.format);
  if (format && !format.success) {
    err(`error: --format must be one of ${legacyFormatSchema.options.join(', ')}`);
    return 2;
  }
  if (values.overflow !== 'enroll' && values.overflow !== 'waitlist') {
    err('error: --overflow must be enroll or waitlist');
    return 2;
  }

  const { files, lines } = await readSourceFiles(positionals);
  if (files.length === 0 && lines.length === 0) {
    err(
      `error: no importable file in ${positionals.join(', ')}: the importer reads .json, .jsonl and .ndjson files`,
    );
    return 1;
  }
  const { dataset, problems, warnings } = readLegacyFiles(files, {
    format: format?.data,
    emailDomain: values['email-domain'],
  });
  // Line-delimited files are checked in a first pass that keeps nothing, and read again to upload.
  for (const file of lines) {
    for await (const item of readLinesFile(file)) if ('problems' in item) problems.push(...item.problems);
  }
  if (problems.length > 0 && !values['skip-invalid']) {
    for (const problem of problems) err(describeProblem(problem));
    err(
      `\n${problems.length} problem(s): nothing was imported. Fix them, or pass --skip-invalid to import the rest.`,
    );
    return 1;
  }

  const options: Parameters<typeof upload>[2] = { overflow: values.overflow, dryRun: values['dry-run'] };
  const report = await asAdmin(values, (client) =>
    upload(client, inParts(concat(datasetRows(dataset), linesRows(lines))), options, (sent) => {
      if (!values.json && process.stderr.isTTY) process.stderr.write(`\ruploaded ${sent} parts`);
    }),
  );
  if (!values.json && process.stderr.isTTY) process.stderr.write('\n');

  const skipped = problems.map(describeProblem);
  if (values.json) {
    out(JSON.stringify({ ...report, warnings: [...warnings, ...report.warnings], skipped }, null, 2));
    return 0;
  }
  out(summary(report));
  for (const warning of [...warnings, ...report.warnings]) out(`warning: ${warning}`);
  for (const line of skipped) out(`skipped: ${line}`);
  const changed = IMPORT_TABLES.some(
    (table) => report.tables[table].created + report.tables[table].updated > 0,
  );
  out(
    report.dryRun
      ? 'Dry run: nothing was written.'
      : changed
        ? 'Imported.'
        : 'Nothing to change: everything was already there.',
  );
  return 0;
}

type Table = keyof ImportDatasetInput;
type Row = [Table, unknown];

/**
 * Rows as parts of at most PART_SIZE records and PART_BYTES of JSON, each of one table, in order: large
 * files go in pieces.
 */
export async function* inParts(rows: AsyncIterable<Row> | Iterable<Row>): AsyncGenerator<ImportDatasetInput> {
  let table: Table | undefined;
  let part: unknown[] = [];
  let weight = 0;
  let bytes = 0;
  for await (const [rowTable, row] of rows) {
    // An activity weighs as much as its participants: parts stay small however the school is shaped.
    const rowWeight = 1 + ((row as { participants?: unknown[] }).participants?.length ?? 0);
    const rowBytes = Buffer.byteLength(JSON.stringify(row)) + 1; // and its comma
    if (
      part.length > 0 &&
      (rowTable !== table || weight + rowWeight > PART_SIZE || bytes + rowBytes > PART_BYTES)
    ) {
      yield { [table!]: part };
      part = [];
      weight = 0;
      bytes = 0;
    }
    table = rowTable;
    part.push(row);
    weight += rowWeight;
    bytes += rowBytes;
  }
  if (part.length > 0) yield { [table!]: part };
}

function* datasetRows(dataset: ImportDatasetInput): Generator<Row> {
  for (const [table, rows] of Object.entries(dataset) as [Table, unknown[] | undefined][])
    for (const row of rows ?? []) yield [table, row];
}

/** The valid records of line-delimited files (the invalid ones were reported, or are skipped). */
async function* linesRows(files: LinesFile[]): AsyncGenerator<Row> {
  for (const file of files)
    for await (const item of readLinesFile(file)) if (!('problems' in item)) yield [item.table, item.record];
}

async function* concat<T>(...sources: (Iterable<T> | AsyncIterable<T>)[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

/** Sends the parts, one at a time, then commits: the server writes them all in one transaction. */
export async function upload(
  client: MergingtonClient,
  parts: AsyncIterable<ImportDatasetInput> | Iterable<ImportDatasetInput>,
  options: { overflow: 'enroll' | 'waitlist'; dryRun: boolean },
  progress: (sent: number) => void = () => {},
): Promise<ImportReport> {
  const { uploadId } = await client.import.begin.mutate();
  let seq = 0;
  for await (const part of parts) {
    await client.import.part.mutate({ uploadId, seq, part });
    progress(++seq);
  }
  // Nothing to send still makes one (empty) part: the commit then reports that nothing changed.
  if (seq === 0) await client.import.part.mutate({ uploadId, seq, part: {} });
  return client.import.commit.mutate({ uploadId, options });
}

function summary(report: ImportReport): string {
  const rows = IMPORT_TABLES.map((table) => [
    table,
    report.tables[table].created,
    report.tables[table].updated,
    report.tables[table].unchanged,
  ]);
  const header = ['table', 'created', 'updated', 'unchanged'];
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => String(row[index]).length)),
  );
  const line = (cells: (string | number)[]) =>
    cells
      .map((cell, index) =>
        index === 0 ? String(cell).padEnd(widths[index]!) : String(cell).padStart(widths[index]!),
      )
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
