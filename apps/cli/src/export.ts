import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import {
  EXPORT_FORMATS,
  EXPORT_REPORTS,
  exportPath,
  exportRequestSchema,
  fieldErrorsOf,
} from '@mergington/contract';
import { parseCommandLine } from './args.ts';
import { asAdmin, AUTH_OPTIONS } from './api.ts';

export const EXPORT_HELP = `Usage: mergington export <report> [filters] [-o file] [options]

Reports (the web app's Reports screen, for teachers and admins), streamed as they are read:
  rosters       every activity's enrolled students, then its waitlist in order     --activity-id
  payments      payments with their status, and totals per status                  --status --from --to --activity-id
  no-activity   students signed up for nothing                                     --grade
  fill-rates    seats, enrolled, waitlisted and fill rate per activity              --category
  attendance    each student's record at each meeting                              --activity-id --from --to

Options:
  -o, --out <file>      Where to write (default: <report>-<date>.<format> here)
  --format csv|xlsx     Default: the file's extension, else csv
  --url, --token, --login, --password   As for mergington import (a teacher's or admin's account)
  -h, --help            Show this help
`;

const FILTER_OPTIONS = {
  'activity-id': 'activityId',
  status: 'status',
  from: 'from',
  to: 'to',
  grade: 'grade',
  category: 'category',
} as const;

export async function exportCommand(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    ...Object.fromEntries(Object.keys(FILTER_OPTIONS).map((name) => [name, { type: 'string' }])),
    ...AUTH_OPTIONS,
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    out(EXPORT_HELP);
    return 0;
  }
  const options = values as Record<string, string | boolean | undefined>;
  const extension = /\.(csv|xlsx)$/i.exec(String(options.out ?? ''))?.[1]?.toLowerCase();
  const parsed = exportRequestSchema.safeParse({
    report: positionals[0],
    format: options.format ?? extension ?? 'csv',
    ...Object.fromEntries(
      Object.entries(FILTER_OPTIONS)
        .filter(([option]) => options[option] !== undefined)
        .map(([option, filter]) => [filter, options[option]]),
    ),
  });
  if (!parsed.success) {
    const problems = Object.entries(fieldErrorsOf(parsed.error.issues)).map(
      ([field, messages]) => `${field}: ${messages.join(', ')}`,
    );
    err(
      `error: ${problems.join('; ')} (reports: ${EXPORT_REPORTS.join(', ')}; formats: ${EXPORT_FORMATS.join(', ')})\n\n${EXPORT_HELP}`,
    );
    return 2;
  }
  const { report, format, ...filters } = parsed.data;
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const file = resolve(
    cwd,
    String(options.out ?? `${report}-${new Date().toISOString().slice(0, 10)}.${format}`),
  );
  return asAdmin(values as { url: string }, async (_client, token) => {
    const response = await fetch(new URL(exportPath(report, format, filters), values.url as string), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      err(`error: the export was refused (HTTP ${response.status}): ${body.error ?? response.statusText}`);
      return 1;
    }
    // Written beside the target and renamed when complete: a cut download never looks like a whole file.
    const partial = `${file}.part`;
    try {
      await pipeline(Readable.fromWeb(response.body as ReadableStream), createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    out(`exported ${report} as ${format} to ${file}`);
    return 0;
  });
}
