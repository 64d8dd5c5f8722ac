import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  auditActorOf,
  type EntityManager,
  fieldErrorsOf,
  findSessionUser,
  NotSignedInError,
  type Principal,
  setAuditActor,
} from '@mergington/db';
import type { Context } from './context.ts';
import { toTRPCError } from './errors.ts';
import { transformer } from './transformer.ts';

/**
 * How a mutation's writes reach the audit trail. By default the whole mutation runs in one transaction that
 * first names its actor (see `inAuditedTransaction`). `import`: the same, recorded as an import by the
 * caller. `own-transactions`: the procedure must commit something even when it fails (a login's attempt
 * count) or works on a connection of its own (backup, restore), and writes nothing the trail records.
 * `in-statement`: the operation writes in one statement that names its actor itself (signups.join).
 */
export interface ProcedureMeta {
  audit?: 'import' | 'own-transactions' | 'in-statement';
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    // Never send a stack trace, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const issues = (error.cause as { issues?: { path?: PropertyKey[]; message: string }[] } | undefined)
        ?.issues;
      const fieldErrors = error.code === 'BAD_REQUEST' && issues ? fieldErrorsOf(issues) : undefined;
      const message =
        error.code === 'INTERNAL_SERVER_ERROR'
          ? `Internal error (request ${ctx?.requestId ?? 'unknown'})`
          : fieldErrors
            ? `Invalid input: ${Object.entries(fieldErrors)
                .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
                .join('; ')}`
            : shape.message;
      return {
        message,
        code: shape.code,
        // Keys with no value are left out: an undefined one would send the answer through superjson's meta.
        data: definedOnly({
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors,
          // The call needed a session and had none (never set, expired, logged out elsewhere): the web app
          // then offers "Log in again", which a wrong password (also UNAUTHORIZED) must not.
          signedOut: error.cause instanceof NotSignedInError || undefined,
        }),
      };
    },
  });

/** The object without its undefined properties (its type keeps them optional). */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** Logs every call (never its input: it may hold a password) and maps failures to the right codes. */
const observe = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const durationMs = Math.round(performance.now() - started);
  if (result.ok) {
    ctx.logger.info({ reqId: ctx.requestId, procedure: path, type, durationMs, outcome: 'ok' }, 'call');
    return result;
  }
  const error = toTRPCError(
    result.error.code === 'INTERNAL_SERVER_ERROR' ? (result.error.cause ?? result.error) : result.error,
  );
  const log = { reqId: ctx.requestId, procedure: path, type, durationMs, outcome: error.code };
  if (error.code === 'INTERNAL_SERVER_ERROR') ctx.logger.error({ ...log, err: error.cause }, 'call failed');
  else ctx.logger.info(log, 'call');
  throw error;
});

/**
 * Each procedure gets an EntityManager of its own: the context is shared by every procedure of a
 * batched request, and an identity map must never be.
 */
const withEntityManager = t.middleware(({ ctx, next }) => next({ ctx: { em: ctx.orm.em.fork() } }));

/**
 * The user a request's session token names (null: none, expired or unknown), looked up once per request: the
 * procedures of a batch share the request's credentials object, so they share one lookup too.
 */
const sessionUsers = new WeakMap<NonNullable<Context['credentials']>, Promise<Principal | null>>();
export function sessionUserOf(ctx: Context & { em: EntityManager }): Promise<Principal | null> {
  const { credentials } = ctx;
  if (!credentials) return Promise.resolve(null);
  let user = sessionUsers.get(credentials);
  if (!user) sessionUsers.set(credentials, (user = findSessionUser(ctx.em, credentials.token)));
  return user;
}

/** A failed procedure's result, carried out of its transaction so that the transaction rolls back. */
class RolledBack extends Error {
  constructor(readonly result: { ok: false }) {
    super('rolled back');
  }
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every mutation runs in one transaction whose first statement names the actor, request id and client
 * address (transaction-local settings the audit triggers read), so each write is recorded as the caller's,
 * in the same transaction, whichever code path wrote it. The domain's own transactions nest inside it (as
 * savepoints). tRPC's next() returns a failure rather than throwing it: it is thrown here so that nothing
 * the failed call wrote, its audit rows included, is committed.
 */
const inAuditedTransaction = withEntityManager.unstable_pipe(async ({ ctx, type, meta, next }) => {
  if (type !== 'mutation' || meta?.audit === 'own-transactions' || meta?.audit === 'in-statement') {
    return next();
  }
  const actor = auditActorOf(await sessionUserOf(ctx), ctx, meta?.audit);
  try {
    return await ctx.em.transactional(async (tx) => {
      await setAuditActor(tx, actor);
      const result = await next({ ctx: { em: tx } });
      if (!result.ok) throw new RolledBack(result);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as Awaited<ReturnType<typeof next>>;
    throw error;
  }
});

export const publicProcedure = t.procedure.use(observe).use(inAuditedTransaction);

/**
 * A read anyone may call whose answer names students. A signed-in member of the school gets it in the
 * `signedIn` shape; anyone else gets it parsed into the `visitor` shape (packages/db schemas/visitors.ts),
 * which keeps no student id and shortens names, so nothing else reaches a visitor however the answer was
 * built. An expired or unknown token is a visitor too.
 */
export function publicReadNamingStudents<S extends z.ZodType, V extends z.ZodType>(shapes: {
  signedIn: S;
  visitor: V;
}) {
  return publicProcedure
    .use(async ({ ctx, next }) => {
      const signedIn = (await sessionUserOf(ctx)) !== null;
      const result = await next();
      return result.ok && !signedIn ? { ...result, data: shapes.visitor.parse(result.data) } : result;
    })
    .output(z.union([shapes.signedIn, shapes.visitor]));
}

const notSignedIn = () => {
  const cause = new NotSignedInError();
  return new TRPCError({ code: 'UNAUTHORIZED', message: cause.message, cause });
};

/** A mutation authenticated by cookie must come from this site (CSRF). */
function refuseCrossSite(ctx: Context, type: string) {
  if (type === 'mutation' && ctx.credentials?.via === 'cookie' && !ctx.sameOrigin) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'cross-site request refused: send JSON from this site',
    });
  }
}

/** What a user whose password an admin reset may still do before choosing their own. */
const WHILE_PASSWORD_IS_TEMPORARY = new Set(['auth.me', 'auth.logOut', 'auth.changePassword']);

/**
 * Any signed-in user. A user with a temporary password (an admin's reset) may only change it (or sign
 * out) until they do.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, type, path, next }) => {
  const user = await sessionUserOf(ctx);
  if (!user || !ctx.credentials) throw notSignedIn();
  if (user.mustChangePassword && !WHILE_PASSWORD_IS_TEMPORARY.has(path)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'your password was reset by an admin: choose a new one first (My account)',
    });
  }
  refuseCrossSite(ctx, type);
  return next({ ctx: { user, token: ctx.credentials.token } });
});

/**
 * A call whose operation checks the session itself, in the statement that does the work (signups.join):
 * one round trip instead of a lookup and then the statement, with nothing cached, so a logout, password
 * change or demotion refuses the very next call on every process. The procedure gets the caller's token,
 * not a user; the operation refuses a missing, ended or wrong-role session (NotSignedInError,
 * NotAllowedError, as the role procedures below do), and names the caller to the audit trail itself.
 */
export const sessionCheckedByOperationProcedure = publicProcedure
  .meta({ audit: 'in-statement' })
  .use(({ ctx, type, next }) => {
    if (!ctx.credentials) throw notSignedIn();
    refuseCrossSite(ctx, type);
    return next({ ctx: { token: ctx.credentials.token } });
  });

function requireRole<K extends Principal['kind']>(
  allowed: (user: Principal) => user is Extract<Principal, { kind: K }>,
  what: string,
) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!allowed(ctx.user))
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `You are signed in as ${signedInAs(ctx.user)}; only ${what} may do this`,
      });
    return next({ ctx: { user: ctx.user } });
  });
}

const signedInAs = (user: Principal) =>
  user.kind === 'student' ? 'a student' : user.role === 'admin' ? 'an admin' : 'a teacher';

type StudentUser = Extract<Principal, { kind: 'student' }>;
type TeacherUser = Extract<Principal, { kind: 'teacher' }>;

export const studentProcedure = requireRole(
  (user): user is StudentUser => user.kind === 'student',
  'students',
);
export const teacherProcedure = requireRole(
  (user): user is TeacherUser => user.kind === 'teacher',
  'teachers and admins',
);
export const adminProcedure = requireRole(
  (user): user is TeacherUser => user.kind === 'teacher' && user.role === 'admin',
  'admins',
);
