import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
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
  /**
   * The client's address: the socket's peer, or the first X-Forwarded-For hop when the API runs behind a
   * proxy it trusts (TRUST_PROXY). Login throttling keys on it.
   */
  clientAddress: string;
  /** Whether the client reached us over HTTPS (directly, or through a trusted proxy). */
  https: boolean;
  /** Email is on (SMTP_URL is set): "Forgot your password?" sends a link; off, it says whom to ask. */
  emailOn: boolean;
  /**
   * Takes this request's one password check (logIn, register, changePassword), or throws
   * TOO_MANY_REQUESTS: argon2 is costly on purpose, so a batch of logins gets one check, not one each.
   */
  claimPasswordCheck(): void;
  /** Sets (or with null, clears) the session cookie on the response. */
  setSessionCookie(token: string | null, expiresAt?: Date): void;
}

export function createRequestContext(
  {
    orm,
    logger,
    requestId,
    emailOn = false,
  }: Pick<Context, 'orm' | 'logger' | 'requestId'> & { emailOn?: boolean },
  req: IncomingMessage,
  res: ServerResponse,
  trustProxy = false,
): Context {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const cookie = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
  const { clientAddress, https, host } = requestOrigin(req, trustProxy);
  return {
    orm,
    logger,
    requestId,
    credentials: bearer ? { token: bearer, via: 'bearer' } : cookie ? { token: cookie, via: 'cookie' } : null,
    sameOrigin: isSameOrigin(req, host),
    clientAddress,
    https,
    emailOn,
    claimPasswordCheck: onePasswordCheck(),
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

/** A claimPasswordCheck for one request: the first call passes, any later one is refused. */
export function onePasswordCheck(): () => void {
  let claimed = false;
  return () => {
    if (claimed) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: 'one password check per request: send logins one at a time',
      });
    }
    claimed = true;
  };
}

/**
 * Who is calling and how: X-Forwarded-For, -Proto and -Host are believed only behind a proxy we trust
 * (TRUST_PROXY=true, set by the compose file); anyone else could send them to pose as another address.
 */
export function requestOrigin(
  req: IncomingMessage,
  trustProxy: boolean,
): { clientAddress: string; https: boolean; host: string | undefined } {
  const forwarded = (name: string) => {
    const value = trustProxy ? req.headers[name] : undefined;
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
  };
  return {
    clientAddress: forwarded('x-forwarded-for') ?? req.socket.remoteAddress ?? 'unknown',
    https: forwarded('x-forwarded-proto') === 'https' || 'encrypted' in req.socket,
    host: forwarded('x-forwarded-host') ?? req.headers.host,
  };
}

function isSameOrigin(req: IncomingMessage, host: string | undefined): boolean {
  const contentType = req.headers['content-type'] ?? '';
  const origin = req.headers.origin;
  if (req.method === 'POST' && !contentType.startsWith('application/json')) return false;
  if (!origin) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
