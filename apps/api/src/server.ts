import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import sirv from 'sirv';
import type { MikroORM } from '@mergington/db';
import { createRequestContext, requestOrigin } from './context.ts';
import { exportReport } from './exports/route.ts';
import { DEFAULT_MAX_BODY_BYTES, MAX_BATCH_SIZE, MAX_RESTORE_BODY_BYTES } from './limits.ts';
import { appRouter } from './router.ts';

export interface ApiServerOptions {
  orm: MikroORM;
  logger: Logger;
  /** The built web app; when missing, `/` says how to build it. */
  webDist?: string;
  /** Believe X-Forwarded-* headers (behind a reverse proxy of our own only). */
  trustProxy?: boolean;
  /** The largest request body /trpc reads (MAX_BODY_BYTES); `backup.restore` may send more. */
  maxBodyBytes?: number;
}

/**
 * One HTTP port for everything: `/trpc` (the API), `/export/...` (reports as CSV or XLSX, streamed),
 * `/healthz` (the process is alive), `/readyz` (the database answers) and the web app at `/`.
 */
export function createApiServer({
  orm,
  logger,
  webDist,
  trustProxy = false,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
}: ApiServerOptions): Server {
  const trpcHandler = (bodyLimit: number) =>
    createHTTPHandler({
      router: appRouter,
      basePath: '/trpc/',
      maxBatchSize: MAX_BATCH_SIZE,
      // A body that says up front that it is too large is refused before a byte of it is read...
      middleware: (req, _res, next) =>
        next(Number(req.headers['content-length']) > bodyLimit ? bodyTooLarge(bodyLimit) : undefined),
      // ...and any other (chunked) is counted as it arrives and refused as it passes the limit.
      maxBodySize: bodyLimit,
      // The rest of a refused body is not read: the connection closes after the answer.
      responseMeta: ({ errors }) =>
        errors.some((error) => error.code === 'PAYLOAD_TOO_LARGE')
          ? { headers: { connection: 'close' } }
          : {},
      createContext: ({ req, res }) =>
        createRequestContext({ orm, logger, requestId: requestIdOf(req) }, req, res, trustProxy),
    });
  const trpc = trpcHandler(maxBodyBytes);
  const trpcRestore = trpcHandler(Math.max(maxBodyBytes, MAX_RESTORE_BODY_BYTES));
  const web = webDist && existsSync(webDist) ? sirv(webDist, { single: true, etag: true }) : undefined;

  // Which of the API_WORKERS processes answered (its cluster number, not its pid): for operators and tests.
  const health = cluster.isWorker ? { status: 'ok', worker: cluster.worker!.id } : { status: 'ok' };

  return createServer((req, res) => {
    const started = performance.now();
    const reqId = requestIdOf(req);
    res.setHeader('x-request-id', reqId);
    setSecurityHeaders(res, requestOrigin(req, trustProxy).https);
    res.on('finish', () => {
      logger.info(
        {
          reqId,
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    const path = req.url?.split('?')[0] ?? '/';
    if (path === '/healthz') return json(res, 200, health);
    if (path === '/readyz')
      return void ready(orm).then((ok) =>
        json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unavailable' }),
      );
    if (path.startsWith('/export/'))
      return void exportReport(req, res, { orm, logger, requestId: reqId, trustProxy }).catch(
        (error: unknown) => {
          logger.error({ reqId, err: error }, 'export failed');
          if (!res.headersSent) json(res, 503, { error: 'the export could not start: try again' });
          else res.destroy();
        },
      );
    if (path === '/trpc/backup.restore') return void trpcRestore(req, res);
    if (path.startsWith('/trpc/')) return void trpc(req, res);
    if (web) return web(req, res, () => json(res, 404, { error: 'not found' }));
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: run `pnpm build`, or use `pnpm start`.\n');
  });
}

function bodyTooLarge(limit: number): TRPCError {
  return new TRPCError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `the request body is too large: this request takes at most ${limit} bytes`,
  });
}

/**
 * Everything the API serves comes from its own origin, and the web app's build has no inline script or
 * style, so `default-src 'self'` holds for scripts, styles, images and fetches alike. `frame-ancestors`
 * (and X-Frame-Options for older browsers) refuse framing: no clickjacking.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function setSecurityHeaders(res: ServerResponse, https: boolean): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  // Not `no-referrer`: under it a browser sends `Origin: null` on the app's own POSTs, which the CSRF check
  // (context.ts) must refuse.
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  // Only over HTTPS: a browser ignores it over plain HTTP, and a developer's http://127.0.0.1 must stay usable.
  if (https) res.setHeader('strict-transport-security', 'max-age=31536000');
}

/** A caller's X-Request-Id when it looks sane, else a new one; it ties a response to its log lines. */
const requestIds = new WeakMap<IncomingMessage, string>();
function requestIdOf(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (!id) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

async function ready(orm: MikroORM): Promise<boolean> {
  try {
    await orm.em.fork().getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
