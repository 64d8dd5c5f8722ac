// GET /export/<report>.<csv|xlsx>?<filters>: a report streamed from a database cursor to the response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import {
  exportRequestSchema,
  fieldErrorsOf,
  findSessionUser,
  type MikroORM,
  reportColumns,
  streamReport,
} from '@mergington/db';
import { createRequestContext } from '../context.ts';
import { writeCsv, writeXlsx } from './writers.ts';

/**
 * A plain HTTP route beside /trpc, since tRPC answers JSON documents and a 100,000-row spreadsheet must
 * flow to the client as it is read, never held whole. Signed in as for tRPC (the session cookie, or a
 * Bearer token); staff only. Filters are the query string, validated by the contract's exportRequestSchema.
 */
export async function exportReport(
  req: IncomingMessage,
  res: ServerResponse,
  {
    orm,
    logger,
    requestId,
    trustProxy,
  }: { orm: MikroORM; logger: Logger; requestId: string; trustProxy: boolean },
): Promise<void> {
  if (req.method !== 'GET') return answer(res, 405, 'exports are downloaded with GET');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const name = /^\/export\/([a-z-]+)\.([a-z]+)$/.exec(url.pathname);
  const parsed = exportRequestSchema.safeParse({
    ...Object.fromEntries(url.searchParams),
    report: name?.[1],
    format: name?.[2],
  });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error.issues);
    return answer(
      res,
      400,
      `Invalid export: ${Object.entries(fieldErrors)
        .map(([f, m]) => `${f}: ${m.join(', ')}`)
        .join('; ')}`,
      fieldErrors,
    );
  }
  const request = parsed.data;
  const { credentials } = createRequestContext({ orm, logger, requestId }, req, res, trustProxy);
  const user = credentials ? await findSessionUser(orm.em.fork(), credentials.token) : null;
  if (!user) return answer(res, 401, 'sign in first');
  if (user.kind !== 'teacher') return answer(res, 403, 'only teachers and admins may do this');

  const file = `${request.report}-${new Date().toISOString().slice(0, 10)}.${request.format}`;
  res.writeHead(200, {
    'content-type':
      request.format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${file}"`,
    'cache-control': 'no-store',
  });
  const batches = streamReport(orm.em.fork(), request);
  const columns = reportColumns(request);
  try {
    if (request.format === 'csv') await writeCsv(res, columns, batches);
    else await writeXlsx(res, request.report, columns, batches);
  } catch (error) {
    // The status line is gone: the client sees a cut download, never a complete-looking partial file.
    logger.error({ reqId: requestId, err: error, report: request.report }, 'export failed');
    res.destroy(error as Error);
  } finally {
    await batches.return(undefined); // a download closed early ends the cursor's transaction
  }
}

function answer(
  res: ServerResponse,
  status: number,
  message: string,
  fieldErrors?: Record<string, string[]>,
) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: message, ...(fieldErrors ? { fieldErrors } : {}) }));
}
