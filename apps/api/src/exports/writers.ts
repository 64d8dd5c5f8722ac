// A report's rows to a file's bytes, batch by batch: CSV (csv-stringify) or XLSX (exceljs's streaming writer).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { ReportCell, ReportColumn } from '@mergington/db';

/**
 * A spreadsheet reads a cell that starts with =, +, -, @ (or a tab or carriage return, which some strip
 * first) as a formula: `=HYPERLINK(...)` in a student's name would run in the coordinator's Excel. Such text
 * gets a leading apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Waits while the response's buffer is full, so a slow reader never makes us hold more than a batch. */
async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) await once(out, 'drain');
}

const CSV_OPTIONS = { record_delimiter: 'windows' } as const;

const day = (date: Date) => date.toISOString().slice(0, 10);

function csvCell(value: ReportCell, column: ReportColumn): string | number | null {
  if (value === null) return null;
  if (value instanceof Date) return column.type === 'date' ? day(value) : value.toISOString();
  if (typeof value === 'number') return column.type === 'money' ? value.toFixed(2) : value;
  return neutralise(value);
}

/**
 * CSV (RFC 4180: CRLF line ends) in UTF-8 with a byte-order mark (Excel reads accented names right only with
 * it), dates in ISO 8601 UTC.
 */
export async function writeCsv(
  out: Writable,
  columns: ReportColumn[],
  batches: AsyncIterable<ReportCell[][]>,
): Promise<void> {
  out.write('\uFEFF');
  out.write(stringify([columns.map((column) => column.header)], CSV_OPTIONS));
  for await (const batch of batches) {
    if (out.destroyed) return;
    out.write(
      stringify(
        batch.map((row) => row.map((value, index) => csvCell(value, columns[index]!))),
        CSV_OPTIONS,
      ),
    );
    await drained(out);
  }
  out.end();
}

const NUMBER_FORMATS: Partial<Record<ReportColumn['type'], string>> = {
  datetime: 'yyyy-mm-dd hh:mm:ss',
  date: 'yyyy-mm-dd',
  money: '#,##0.00',
  percent: '0.0%',
};

/** XLSX, one sheet: dates are date cells (UTC), money and rates numbers with their formats. */
export async function writeXlsx(
  out: Writable,
  title: string,
  columns: ReportColumn[],
  batches: AsyncIterable<ReportCell[][]>,
): Promise<void> {
  // Loaded on the first XLSX export: exceljs takes seconds to load, which every start would pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(title);
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: column.key,
    width: Math.max(12, column.header.length + 2),
    style: NUMBER_FORMATS[column.type] ? { numFmt: NUMBER_FORMATS[column.type] } : {},
  }));
  for await (const batch of batches) {
    if (out.destroyed) return;
    for (const row of batch)
      sheet.addRow(row.map((value) => (typeof value === 'string' ? neutralise(value) : value))).commit();
    await drained(out);
  }
  sheet.commit();
  await workbook.commit();
}
