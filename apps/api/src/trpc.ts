import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { MikroORM } from '@mergington/db';

export interface Context {
  orm: MikroORM;
  requestId: string;
}

const t = initTRPC.context<Context>().create({ transformer: superjson });

/**
 * Each procedure gets an EntityManager of its own: the context is shared by every procedure of a
 * batched request, and an identity map must never be.
 */
const withEntityManager = t.middleware(({ ctx, next }) => next({ ctx: { em: ctx.orm.em.fork() } }));

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(withEntityManager);
