import { z } from 'zod';
import {
  changePassword,
  changePasswordInput,
  logIn,
  logInInput,
  principalSchema,
  registerInput,
  registerStudent,
  revokeSession,
  sessionSchema,
  studentSchema,
} from '@mergington/db';
import { authedProcedure, publicProcedure, router, sessionUserOf } from '../trpc.ts';

export const authRouter = router({
  register: publicProcedure
    .input(registerInput)
    .output(studentSchema)
    .mutation(({ ctx, input }) => {
      ctx.claimPasswordCheck();
      return registerStudent(ctx.em, input);
    }),

  /** Web app: transport 'cookie' (HttpOnly, SameSite=Lax); programs: the token, sent back as a Bearer header. */
  logIn: publicProcedure
    // A failed login's attempt count must commit (login-throttle.ts); a login writes nothing the trail records.
    .meta({ audit: 'own-transactions' })
    .input(logInInput)
    .output(sessionSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.claimPasswordCheck();
      const session = await logIn(ctx.em, input, ctx.clientAddress);
      if (input.transport === 'cookie') {
        ctx.setSessionCookie(session.token, session.expiresAt);
        return { ...session, token: null };
      }
      return session;
    }),

  logOut: authedProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await revokeSession(ctx.em, ctx.token);
    if (ctx.credentials?.via === 'cookie') ctx.setSessionCookie(null);
    return { ok: true as const };
  }),

  me: authedProcedure.output(principalSchema).query(({ ctx }) => ctx.user),

  /** Who is signed in, or null: lets the web app ask without an UNAUTHORIZED error. */
  session: publicProcedure.output(principalSchema.nullable()).query(({ ctx }) => sessionUserOf(ctx)),

  changePassword: authedProcedure
    .input(changePasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      ctx.claimPasswordCheck();
      await changePassword(ctx.em, ctx.user, ctx.token, input);
      return { ok: true as const };
    }),
});
