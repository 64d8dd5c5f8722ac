import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  changePassword,
  changePasswordInput,
  logIn,
  logInInput,
  principalSchema,
  registerInput,
  registerStudent,
  requestPasswordReset,
  requestPasswordResetInput,
  resetPassword,
  resetPasswordInput,
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

  /** Whether "Forgot your password?" sends a link (email is on) or says whom to ask. */
  passwordResetByEmail: publicProcedure
    .output(z.object({ byEmail: z.boolean() }))
    .query(({ ctx }) => ({ byEmail: ctx.emailOn })),

  /**
   * Emails a one-time link to the account of that address, if there is one: the answer is the same either
   * way (no account enumeration). A client address past its limit is TOO_MANY_REQUESTS.
   */
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (!ctx.emailOn) throw emailIsOff();
      await requestPasswordReset(ctx.em, input, ctx.clientAddress);
      return { ok: true as const };
    }),

  /** Sets a new password from a reset link (one use, one hour); every session of the account ends. */
  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      ctx.claimPasswordCheck();
      await resetPassword(ctx.em, input);
      return { ok: true as const };
    }),
});

const emailIsOff = () =>
  new TRPCError({
    code: 'PRECONDITION_FAILED',
    message: 'email is off, so no reset link can be sent: ask the school office to reset your password',
  });
