import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import sirv from 'sirv';
import type { LegacyApiMode, MikroORM } from '@mergington/db';
import { createCalendarFeeds } from './calendar-feeds.ts';
import { createRequestContext, requestOrigin } from './context.ts';
import { exportReport } from './exports/route.ts';
import { createLegacyApi } from './legacy/legacy-api.ts';
import { DEFAULT_LEGACY_RATE_LIMIT } from './legacy/rate-limit.ts';
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
  /** The old app's HTTP API (LEGACY_API, LEGACY_STATIC_DIR, LEGACY_RATE_LIMIT); off by default. */
  legacy?: { mode: LegacyApiMode; staticDir?: string; rateLimit?: number };
  /** Email is on (SMTP_URL is set): password reset links go by email. Off by default. */
  emailOn?: boolean;
}

/**
 * One HTTP port for everything: `/trpc` (the API), `/export/...` (reports as CSV or XLSX, streamed),
 * `/healthz` (the process is alive), `/readyz` (the database answers), `/calendar/` (the iCalendar feeds)
 * and the web app at `/`; with LEGACY_API on, the old app's endpoints, and with LEGACY_STATIC_DIR its pages
 * at `/static/` (`/` redirects there; the web app is then at `/app/`).
 */
export function createApiServer({
  orm,
  logger,
  webDist,
  trustProxy = false,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  legacy = { mode: 'off' },
  emailOn = false,
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
        createRequestContext({ orm, logger, requestId: requestIdOf(req), emailOn }, req, res, trustProxy),
    });
  const trpc = trpcHandler(maxBodyBytes);
  const trpcRestore = trpcHandler(Math.max(maxBodyBytes, MAX_RESTORE_BODY_BYTES));
  const web =
    webDist && existsSync(webDist)
      ? { page: sirv(webDist, { single: true, etag: true }), files: sirv(webDist, { etag: true }) }
      : undefined;
  const legacyApi = createLegacyApi({
    orm,
    logger,
    mode: legacy.mode,
    trustProxy,
    rateLimit: legacy.rateLimit ?? DEFAULT_LEGACY_RATE_LIMIT,
  });
  const calendarFeeds = createCalendarFeeds(orm, logger);
  const legacyStatic =
    legacyApi && legacy.staticDir ? sirv(legacy.staticDir, { etag: true, dotfiles: false }) : undefined;

  // Which of the API_WORKERS processes answered (its cluster number, not its pid): for operators and tests.
  const health = cluster.isWorker ? { status: 'ok', worker: cluster.worker!.id } : { status: 'ok' };

  return createServer((req, res) => {
    const started = performance.now();
    const reqId = requestIdOf(req);
    res.setHeader('x-request-id', reqId);
    setSecurityHeaders(res, requestOrigin(req, trustProxy).https);
    const path = req.url?.split('?')[0] ?? '/';
    res.on('finish', () => {
      logger.info(
        {
          reqId,
          method: req.method,
          // A personal calendar feed's token is its key: it stays out of the logs.
          path: path.startsWith('/calendar/students/') ? '/calendar/students/…' : path,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'request',
      );
    });
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
    if (calendarFeeds(req, res, path)) return;
    if (legacyApi?.(req, res, reqId)) return;
    if (legacyStatic) {
      if (path === '/') return void res.writeHead(307, { location: '/static/index.html' }).end();
      if (path.startsWith('/static/') && (req.method === 'GET' || req.method === 'HEAD')) {
        // The old pages set inline styles (its capacity bars); its scripts stay files of its own.
        res.setHeader('content-security-policy', LEGACY_STATIC_CONTENT_SECURITY_POLICY);
        req.url = req.url!.slice('/static'.length);
        return legacyStatic(req, res, () => json(res, 404, { detail: 'Not Found' }));
      }
    }
    // The app's page is what a browser navigating to any of its routes gets (it asks for text/html); any
    // other request for a path that is not a file is a 404, so that a program calling an endpoint that does
    // not exist (the old app's, with LEGACY_API off) is told so rather than handed a page.
    const notFound = () => json(res, 404, { error: 'not found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound();
    const navigating = path === '/' || (req.headers.accept ?? '').includes('text/html');
    if (web) return void (navigating ? web.page : web.files)(req, res, notFound);
    if (!navigating) return notFound();
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

/** The old app's pages (LEGACY_STATIC_DIR): as above, with inline styles allowed; inline scripts still are not. */
const LEGACY_STATIC_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "default-src 'self'",
  "default-src 'self'; style-src 'self' 'unsafe-inline'",
);

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
