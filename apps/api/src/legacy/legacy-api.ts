// The old FastAPI app's HTTP API (LEGACY_API), kept for the pages and scripts a school still runs against it:
// its paths, query parameters, answers and `detail` wording, over the same packages/db operations (seat
// trigger, one signup per student, grade limits, the waitlist) as the typed API. Each endpoint validates
// its query with a contract schema and calls one function of packages/db.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  asAuditActor,
  auditActorOf,
  ActivityFullError,
  ConflictError,
  type EntityManager,
  findSessionUser,
  InvalidCredentialsError,
  type LegacyApiMode,
  legacyActivityFilters,
  legacyCatalogue,
  legacyDays,
  legacyEmailQuery,
  legacyLoginQuery,
  type LegacyTeacher,
  legacyUnregisterQuery,
  logIn,
  logInInput,
  type MikroORM,
  NotFoundError,
  type Principal,
  revokeSession,
  signUpByActivityName,
  TooManyAttemptsError,
  unregisterByActivityName,
} from '@mergington/db';
import { type Context, createRequestContext } from '../context.ts';
import { toTRPCError } from '../errors.ts';
import { perAddressLimit } from './rate-limit.ts';

export interface LegacyApiOptions {
  orm: MikroORM;
  logger: Logger;
  mode: LegacyApiMode;
  trustProxy: boolean;
  /** `open` mode: requests per minute per client address (LEGACY_RATE_LIMIT). */
  rateLimit: number;
}

interface Call {
  req: IncomingMessage;
  query: URLSearchParams;
  ctx: Context;
  em: EntityManager;
}

/** What an endpoint answers: a status and the JSON body. */
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A refusal in the old app's shape, `{"detail": ...}`; thrown by an endpoint, answered by the handler. */
class LegacyError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : 'invalid request');
  }
}

type Endpoint = (call: Call, activityName: string) => Promise<Answer>;

/**
 * The old endpoints of a mode, or undefined when the mode is `off`. The handler answers a request for one
 * of them and returns true; for any other path it returns false and leaves the request to the caller.
 */
export function createLegacyApi(
  options: LegacyApiOptions,
): ((req: IncomingMessage, res: ServerResponse, requestId: string) => boolean) | undefined {
  const { mode } = options;
  if (mode === 'off') return undefined;
  const { orm, logger, trustProxy } = options;
  const limit = perAddressLimit(options.rateLimit);
  const routes = mode === 'open' ? OPEN_ROUTES : TEACHER_ROUTES;

  return (req, res, requestId) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = route(routes, url.pathname);
    if (!found) return false;
    const ctx = createRequestContext({ orm, logger, requestId }, req, res, trustProxy);
    void (async (): Promise<Answer> => {
      const endpoint = found.methods[req.method ?? 'GET'];
      if (!endpoint) {
        throw new LegacyError(405, 'Method Not Allowed', { allow: Object.keys(found.methods).join(', ') });
      }
      if (mode === 'open') {
        const retryAfter = limit.take(ctx.clientAddress);
        if (retryAfter > 0) {
          throw new LegacyError(429, `Too many requests from this address: try again in ${retryAfter} s`, {
            'retry-after': String(retryAfter),
          });
        }
      }
      return endpoint({ req, query: url.searchParams, ctx, em: orm.em.fork() }, found.activityName);
    })()
      .catch((error: unknown) => refusal(error, logger, requestId))
      .then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    return true;
  };
}

interface Route {
  methods: Record<string, Endpoint>;
  activityName: string;
}

function route(routes: Routes, path: string): Route | undefined {
  if (path === '/activities' || path === '/activities/')
    return { methods: routes.activities, activityName: '' };
  if (path === '/activities/days') return { methods: routes.days, activityName: '' };
  const action = /^\/activities\/([^/]+)\/(signup|unregister)$/.exec(path);
  if (action) {
    let activityName: string;
    try {
      activityName = decodeURIComponent(action[1]!);
    } catch {
      return undefined; // a malformed escape names no activity: not one of ours
    }
    return { methods: action[2] === 'signup' ? routes.signup : routes.unregister, activityName };
  }
  const auth = routes.auth[path];
  return auth ? { methods: auth, activityName: '' } : undefined;
}

interface Routes {
  activities: Record<string, Endpoint>;
  days: Record<string, Endpoint>;
  signup: Record<string, Endpoint>;
  unregister: Record<string, Endpoint>;
  auth: Record<string, Record<string, Endpoint>>;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

/** The query's parameters that a schema names (others, like the later app's `teacher_username`, are ignored). */
function parseQuery<S extends z.ZodObject>(schema: S, query: URLSearchParams): z.infer<S> {
  return validate(
    schema,
    Object.fromEntries(
      Object.keys(schema.shape).flatMap((key) => (query.has(key) ? [[key, query.get(key)]] : [])),
    ),
  );
}

/** The query's values as a schema parses them, else FastAPI's 422, which the old pages and tests expect. */
function validate<S extends z.ZodType>(
  schema: S,
  given: Record<string, unknown>,
  names: Record<string, string> = {},
): z.infer<S> {
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  throw new LegacyError(
    422,
    parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const missing = issue.path.length === 1 && given[key] === undefined;
      return {
        type: missing ? 'missing' : 'value_error',
        loc: ['query', names[key] ?? key, ...issue.path.slice(1)],
        msg: missing ? 'Field required' : issue.message,
      };
    }),
  );
}

/** `teachers` mode: signing up and unregistering need a signed-in teacher or admin. */
/** The teacher or admin calling (their id), or a refusal. */
async function requireStaff({ req, ctx, em }: Call): Promise<number> {
  const user = ctx.credentials ? await findSessionUser(em, ctx.credentials.token) : null;
  if (!user) throw new LegacyError(401, 'Authentication required for this action');
  if (user.kind !== 'teacher') throw new LegacyError(403, 'Only teachers and admins may do this');
  // A cookie rides along on requests other sites make; a browser names the page's origin on every POST
  // and DELETE, so one from another site is refused (SameSite=Lax already keeps the cookie off most).
  if (ctx.credentials?.via === 'cookie' && req.headers.origin && !sameHost(req)) {
    throw new LegacyError(403, 'cross-site request refused');
  }
  return user.id;
}

function sameHost(req: IncomingMessage): boolean {
  try {
    return new URL(req.headers.origin!).host === req.headers.host;
  } catch {
    return false;
  }
}

const legacyTeacher = (user: Extract<Principal, { kind: 'teacher' }>): LegacyTeacher => ({
  username: user.username,
  display_name: user.name,
  role: user.role,
});

async function signedInStaff({ ctx, em }: Call) {
  const user = ctx.credentials ? await findSessionUser(em, ctx.credentials.token) : null;
  return user?.kind === 'teacher' ? user : null;
}

/** Runs a write as the caller's for the audit trail: the signed-in teacher, else an anonymous visitor. */
async function asCaller<T>(call: Call, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return asAuditActor(call.em, auditActorOf(await signedInStaff(call), call.ctx), work);
}

const catalogue =
  (mode: 'open' | 'teachers'): Endpoint =>
  async (call) => {
    const filters = parseQuery(legacyActivityFilters, call.query);
    // `open` is the first version, shown to everyone on a trusted network; in `teachers` mode only staff see
    // students' emails, anyone else sees the names a visitor sees.
    const participantsAs = mode === 'open' || (await signedInStaff(call)) ? 'email' : 'publicName';
    return ok(await legacyCatalogue(call.em, filters, participantsAs));
  };

const days: Endpoint = async ({ em }) => ok(await legacyDays(em));

const signup =
  (mode: 'open' | 'teachers'): Endpoint =>
  async (call, activityName) => {
    const teacherId = mode === 'teachers' ? await requireStaff(call) : undefined;
    const { email } = parseQuery(legacyEmailQuery, call.query);
    try {
      const result = await asCaller(call, (em) =>
        signUpByActivityName(
          em,
          activityName,
          email,
          mode,
          teacherId === undefined ? undefined : { teacherId },
        ),
      );
      if (result.status === 'in_draw') {
        return ok({
          message: `Added ${email} to the opening draw for ${activityName} (results at ${result.drawResultsAt!.toISOString()})`,
        });
      }
      if (result.status === 'waitlisted') {
        return ok({
          message: `Added ${email} to the waitlist for ${activityName} (position ${result.waitlistPosition})`,
          waitlist_position: result.waitlistPosition,
        });
      }
      return ok({ message: `Signed up ${email} for ${activityName}` });
    } catch (error) {
      if (error instanceof ConflictError) throw new LegacyError(400, 'Student is already signed up');
      throw error;
    }
  };

const unregister =
  (mode: 'open' | 'teachers'): Endpoint =>
  async (call, activityName) => {
    if (mode === 'teachers') await requireStaff(call);
    const { email } = parseQuery(legacyUnregisterQuery, call.query);
    try {
      await asCaller(call, (em) => unregisterByActivityName(em, activityName, email, mode));
      return ok({ message: `Unregistered ${email} from ${activityName}` });
    } catch (error) {
      if (error instanceof NotFoundError && error.entity !== 'activity') {
        throw new LegacyError(400, 'Student is not registered for this activity');
      }
      throw error;
    }
  };

const login: Endpoint = async ({ query, ctx, em }) => {
  const { username, password } = parseQuery(legacyLoginQuery, query);
  const input = validate(
    logInInput,
    { as: 'teacher', login: username, password, transport: 'cookie' },
    { login: 'username' },
  );
  try {
    const session = await logIn(em, input, ctx.clientAddress);
    ctx.setSessionCookie(session.token, session.expiresAt);
    return ok(legacyTeacher(session.user as Extract<Principal, { kind: 'teacher' }>));
  } catch (error) {
    if (error instanceof InvalidCredentialsError) throw new LegacyError(401, 'Invalid username or password');
    throw error;
  }
};

const logout: Endpoint = async ({ ctx, em }) => {
  if (ctx.credentials) await revokeSession(em, ctx.credentials.token);
  if (ctx.credentials?.via !== 'bearer') ctx.setSessionCookie(null);
  return ok({ message: 'Logged out' });
};

const checkSession: Endpoint = async (call) => {
  const user = await signedInStaff(call);
  if (!user) throw new LegacyError(401, 'Not signed in');
  return ok(legacyTeacher(user));
};

function routesOf(mode: 'open' | 'teachers'): Routes {
  // The later version took unregistering as a POST; the first as a DELETE: both are answered.
  const unregisterEndpoint = unregister(mode);
  return {
    activities: { GET: catalogue(mode) },
    days: { GET: days },
    signup: { POST: signup(mode) },
    unregister: { DELETE: unregisterEndpoint, POST: unregisterEndpoint },
    auth:
      mode === 'teachers'
        ? {
            '/auth/login': { POST: login },
            '/auth/logout': { POST: logout },
            '/auth/check-session': { GET: checkSession },
          }
        : {},
  };
}

const OPEN_ROUTES = routesOf('open');
const TEACHER_ROUTES = routesOf('teachers');

/** Any failure as the old app's `{"detail": ...}`, with the status it would have had in the typed API. */
function refusal(error: unknown, logger: Logger, requestId: string): Answer {
  if (error instanceof LegacyError) {
    return { status: error.status, body: { detail: error.detail }, headers: error.headers };
  }
  if (error instanceof ActivityFullError) return { status: 400, body: { detail: 'Activity is full' } };
  if (error instanceof NotFoundError && error.entity === 'activity') {
    return { status: 404, body: { detail: 'Activity not found' } };
  }
  const mapped = toTRPCError(error);
  const status = getHTTPStatusCodeFromError(mapped);
  const headers: Record<string, string> =
    error instanceof TooManyAttemptsError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
  if (mapped.code === 'INTERNAL_SERVER_ERROR') {
    logger.error({ reqId: requestId, err: error }, 'legacy API call failed');
    return { status, body: { detail: `Internal error (request ${requestId})` } };
  }
  return { status, body: { detail: mapped.message }, headers };
}
