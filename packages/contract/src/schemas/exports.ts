// Exports (README: Exports): which reports, in which formats, with which filters. A download is a plain
// HTTP GET of exportPath(...), so the filters arrive as query-string text and are coerced here.
import { z } from 'zod';
import { GRADES, PAYMENT_STATUSES } from '../constants.ts';
import { textSchema } from './common.ts';

export const EXPORT_REPORTS = ['rosters', 'payments', 'no-activity', 'fill-rates', 'attendance'] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The filters each report takes (any other is refused). */
export const EXPORT_FILTERS = {
  rosters: ['activityId'],
  payments: ['status', 'from', 'to', 'activityId'],
  'no-activity': ['grade'],
  'fill-rates': ['category'],
  attendance: ['activityId', 'from', 'to'],
} as const satisfies Record<ExportReport, readonly string[]>;

const queryId = z.coerce.number().int().positive().max(2_147_483_647);
const queryDay = z.iso.date();

export const exportRequestSchema = z
  .object({
    report: z.enum(EXPORT_REPORTS),
    format: z.enum(EXPORT_FORMATS).default('csv'),
    activityId: queryId.optional(),
    status: z.enum(PAYMENT_STATUSES).optional(),
    /** Payments recorded on or after this day (UTC); meetings on or after it (the school's calendar). */
    from: queryDay.optional(),
    /** Payments recorded on or before this day (UTC); meetings on or before it (the school's calendar). */
    to: queryDay.optional(),
    grade: z.coerce
      .number()
      .int()
      .refine((grade) => (GRADES as readonly number[]).includes(grade), 'must be 9, 10, 11 or 12')
      .optional(),
    category: textSchema.trim().min(1).max(60).optional(),
  })
  .strict()
  .superRefine((request, context) => {
    const allowed: readonly string[] = EXPORT_FILTERS[request.report];
    for (const key of Object.keys(request)) {
      if (
        key !== 'report' &&
        key !== 'format' &&
        request[key as keyof typeof request] !== undefined &&
        !allowed.includes(key)
      )
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `is not a filter of the ${request.report} report`,
        });
    }
    if (request.from && request.to && request.from > request.to)
      context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportFilters = Omit<z.input<typeof exportRequestSchema>, 'report' | 'format'>;

/** The path of a download, from the API's origin: `/export/rosters.csv?activityId=3`. */
export function exportPath(report: ExportReport, format: ExportFormat, filters: ExportFilters = {}): string {
  const query = new URLSearchParams(
    Object.entries(filters)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
  return `/export/${report}.${format}${query ? `?${query}` : ''}`;
}
