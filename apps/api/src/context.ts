import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Logger } from 'pino';
import type { MikroORM } from '@mergington/db';

export const SESSION_COOKIE = 'mergington_session';

export interface Context {
  orm: MikroORM;
  logger: Logger;
  requestId: string;
  /** The session token the request carries, and how. */
  credentials: { token: string; via: 'cookie' | 'bearer' } | null;
  /**
   * Whether the request came from this site: a JSON body and an Origin naming this host. A mutation
   * authenticated by cookie needs it (CSRF); one with a Bearer token does not.
   */
  sameOrigin: boolean;
  /** Sets (or with null, clears) the session cookie on the response. */
  setSessionCookie(token: string | null, expiresAt?: Date): void;
}

export function createRequestContext(
  { orm, logger, requestId }: Pick<Context, 'orm' | 'logger' | 'requestId'>,
  req: IncomingMessage,
  res: ServerResponse,
): Context {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const cookie = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  const https = req.headers['x-forwarded-proto'] === 'https' || 'encrypted' in req.socket;
  return {
    orm,
    logger,
    requestId,
    credentials: bearer ? { token: bearer, via: 'bearer' } : cookie ? { token: cookie, via: 'cookie' } : null,
    sameOrigin: isSameOrigin(req),
    setSessionCookie(token, expiresAt) {
      res.appendHeader(
        'set-cookie',
        serializeCookie(SESSION_COOKIE, token ?? '', {
          httpOnly: true,
          sameSite: 'lax',
          secure: https,
          path: '/',
          ...(token ? { expires: expiresAt } : { maxAge: 0 }),
        }),
      );
    },
  };
}

function isSameOrigin(req: IncomingMessage): boolean {
  const contentType = req.headers['content-type'] ?? '';
  const origin = req.headers.origin;
  if (req.method === 'POST' && !contentType.startsWith('application/json')) return false;
  if (!origin) return false;
  try {
    return new URL(origin).host === (req.headers['x-forwarded-host'] ?? req.headers.host);
  } catch {
    return false;
  }
}
