import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import sirv from 'sirv';
import type { MikroORM } from '@mergington/db';
import { createRequestContext } from './context.ts';
import { appRouter } from './router.ts';

export interface ApiServerOptions {
  orm: MikroORM;
  logger: Logger;
  /** The built web app; when missing, `/` says how to build it. */
  webDist?: string;
  /** Believe X-Forwarded-* headers (behind a reverse proxy of our own only). */
  trustProxy?: boolean;
}

/**
 * One HTTP port for everything: `/trpc` (the API), `/healthz` (the process is alive), `/readyz` (the
 * database answers) and the web app at `/`.
 */
export function createApiServer({ orm, logger, webDist, trustProxy = false }: ApiServerOptions): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req, res }) =>
      createRequestContext({ orm, logger, requestId: requestIdOf(req) }, req, res, trustProxy),
  });
  const web = webDist && existsSync(webDist) ? sirv(webDist, { single: true, etag: true }) : undefined;

  return createServer((req, res) => {
    const started = performance.now();
    const reqId = requestIdOf(req);
    res.setHeader('x-request-id', reqId);
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
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz')
      return void ready(orm).then((ok) =>
        json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unavailable' }),
      );
    if (path.startsWith('/trpc/')) return void trpc(req, res);
    if (web) return web(req, res, () => json(res, 404, { error: 'not found' }));
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: run `pnpm build`, or use `pnpm start`.\n');
  });
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
