// "Forgot your password?": a one-time link by email (README "Accounts and sessions").
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestPasswordResetInput, ResetPasswordInput } from '@mergington/contract';
import { InvalidResetLinkError, TooManyResetRequestsError } from '../../errors.ts';
import { enqueuePasswordResetEmail } from '../../queue.ts';
import { query, sql } from '../../sql.ts';
import { endSessions, hashToken, setPasswordHash } from './accounts.ts';
import { hashPassword } from './passwords.ts';

export const PASSWORD_RESET = {
  /** How long a link works. */
  ttlMinutes: 60,
  /** Links one address (as typed: whether or not an account has it) is sent per window: no mail bomb. */
  perAccount: { limit: 3, windowSeconds: 3600 },
  /** Requests one client address may make per window, across addresses: no sweep of the school's. */
  perAddress: { limit: 20, windowSeconds: 3600 },
} as const;

/**
 * Counts one request on a fixed-window counter (the login throttle's table, keys of its own) and answers
 * the count so far, this one included. One statement: a parallel request waits on the row's lock until
 * this transaction ends, then counts after it, so parallel requests get no more than sequential ones.
 */
async function countRequest(
  em: EntityManager,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; retryAfterSeconds: number }> {
  const [row] = await query<{ failures: number; retry_after_seconds: number }>(
    em,
    sql`insert into login_throttle as t (key, failures, window_started_at) values (${key}, 1, now())
        on conflict (key) do update set
          failures = case when t.window_started_at <= now() - make_interval(secs => ${windowSeconds}) then 1
                          else t.failures + 1 end,
          window_started_at = case when t.window_started_at <= now() - make_interval(secs => ${windowSeconds})
                                   then now() else t.window_started_at end
        returning failures,
                  ceil(extract(epoch from t.window_started_at + make_interval(secs => ${windowSeconds}) - now()))::int
                    as retry_after_seconds`,
  );
  return { count: row!.failures, retryAfterSeconds: row!.retry_after_seconds };
}

/**
 * Writes a reset link for the account of `input.email` (a student's or a teacher's) and queues its email,
 * in the transaction of `em`. Answers the link's token, or null when no link was made: no such account, or
 * that address has had its links for now. The caller answers the same either way (no account enumeration);
 * only a client address past its own limit is refused (TooManyResetRequestsError), whatever it asked for.
 */
export async function requestPasswordReset(
  em: EntityManager,
  input: RequestPasswordResetInput,
  clientAddress: string,
): Promise<{ token: string } | null> {
  return em.transactional(async (tx) => {
    // Always the address first, then the account: one lock order for every request, so no deadlocks.
    const address = clientAddress.replace(/\s/g, '').slice(0, 64);
    const fromAddress = await countRequest(
      tx,
      `reset-address:${address}`,
      PASSWORD_RESET.perAddress.windowSeconds,
    );
    if (fromAddress.count > PASSWORD_RESET.perAddress.limit) {
      throw new TooManyResetRequestsError(fromAddress.retryAfterSeconds);
    }
    const forAccount = await countRequest(
      tx,
      `reset-account:${input.as}:${input.email}`,
      PASSWORD_RESET.perAccount.windowSeconds,
    );
    if (forAccount.count > PASSWORD_RESET.perAccount.limit) return null;

    const [account] = await query<{ id: number }>(
      tx,
      input.as === 'student'
        ? sql`select id from student where email = ${input.email}`
        : sql`select id from teacher where email = ${input.email}`,
    );
    if (!account) return null;
    const token = randomBytes(32).toString('base64url');
    const [reset] = await query<{ id: number }>(
      tx,
      sql`insert into password_reset (token_hash, student_id, teacher_id, expires_at)
          values (${hashToken(token)}, ${input.as === 'student' ? account.id : null},
                  ${input.as === 'teacher' ? account.id : null},
                  now() + make_interval(mins => ${PASSWORD_RESET.ttlMinutes}))
          returning id`,
    );
    await enqueuePasswordResetEmail(tx, { resetId: reset!.id, token });
    return { token };
  });
}

interface ResetRow {
  student_id: number | null;
  teacher_id: number | null;
}

const accountOf = (row: ResetRow) =>
  row.student_id !== null
    ? { kind: 'student' as const, id: row.student_id }
    : { kind: 'teacher' as const, id: row.teacher_id! };

/**
 * Sets a new password from a reset link: the link is burnt (with every other open link of the account),
 * the password is no longer temporary, and every session of the account ends, in one transaction. An
 * unknown, used or expired link is InvalidResetLinkError; of two uses at once, one wins.
 */
export async function resetPassword(em: EntityManager, input: ResetPasswordInput): Promise<void> {
  const tokenHash = hashToken(input.token);
  const open = sql`token_hash = ${tokenHash} and used_at is null and expires_at > now()`;
  // A cheap look first: a dead link costs no password hashing.
  const [pending] = await query<ResetRow>(
    em,
    sql`select student_id, teacher_id from password_reset where ${open}`,
  );
  if (!pending) throw new InvalidResetLinkError();
  const passwordHash = await hashPassword(input.password);
  await em.transactional(async (tx) => {
    const [burnt] = await query<ResetRow>(
      tx,
      sql`update password_reset set used_at = now() where ${open} returning student_id, teacher_id`,
    );
    if (!burnt) throw new InvalidResetLinkError();
    const account = accountOf(burnt);
    await setPasswordHash(tx, account, passwordHash, { temporary: false });
    await endSessions(tx, account);
    await query(
      tx,
      account.kind === 'student'
        ? sql`update password_reset set used_at = now() where student_id = ${account.id} and used_at is null`
        : sql`update password_reset set used_at = now() where teacher_id = ${account.id} and used_at is null`,
    );
  });
}

/** What the worker needs to write a reset link's email; null when the link is used or expired already. */
export async function passwordResetToSend(
  em: EntityManager,
  resetId: number,
): Promise<{ to: { name: string; email: string }; expiresAt: Date } | null> {
  const [row] = await query<{ name: string; email: string; expires_at: Date }>(
    em,
    sql`select coalesce(s.name, t.name) as name, coalesce(s.email, t.email) as email, r.expires_at
          from password_reset r
          left join student s on s.id = r.student_id
          left join teacher t on t.id = r.teacher_id
         where r.id = ${resetId} and r.used_at is null and r.expires_at > now()`,
  );
  return row ? { to: { name: row.name, email: row.email }, expiresAt: new Date(row.expires_at) } : null;
}
