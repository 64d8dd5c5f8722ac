import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { Student, Teacher } from '../../entities/index.ts';
import { InvalidResetLinkError, TooManyResetRequestsError } from '../../errors.ts';
import { PASSWORD_RESET_QUEUE, QUEUE_SCHEMA } from '../../queue.ts';
import { createSession, findSessionUser, hashToken, logIn } from './accounts.ts';
import {
  PASSWORD_RESET,
  passwordResetToSend,
  requestPasswordReset,
  resetPassword,
} from './password-reset.ts';
import { hashPassword } from './passwords.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

const hash = await hashPassword('the old one');
let unique = 0;
let addresses = 0;
/** A client address of its own per request, so that only the per-account counter is in play. */
const freshAddress = () => `10.9.${Math.floor(++addresses / 250)}.${addresses % 250}`;

async function student(fields: { mustChangePassword?: boolean } = {}) {
  const email = `reset${++unique}@mergington.edu`;
  const em = fork();
  const row = em.create(Student, { email, name: 'S', grade: 10, passwordHash: hash, ...fields });
  await em.flush();
  return { email, id: row.id };
}

const jobsFor = (token: string) =>
  sql<{ data: { resetId: number; token: string } }>(
    `select data from ${QUEUE_SCHEMA}.job where name = ? and data->>'token' = ?`,
    [PASSWORD_RESET_QUEUE, token],
  );

describe('requestPasswordReset', () => {
  it('writes a link that expires in an hour, only its hash stored, and queues its email in one go', async () => {
    const { email } = await student();
    const issued = await requestPasswordReset(fork(), { email, as: 'student' }, freshAddress());
    expect(issued).not.toBeNull();
    const rows = await sql<{ token_hash: string; minutes: number }>(
      `select r.token_hash, round(extract(epoch from r.expires_at - now()) / 60)::int as minutes
         from password_reset r join student s on s.id = r.student_id where s.email = ?`,
      [email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(issued!.token);
    expect(rows[0]!.minutes).toBe(PASSWORD_RESET.ttlMinutes);
    expect(await jobsFor(issued!.token)).toHaveLength(1);
  });

  it('makes no link for an address no account has, nor for a teacher asked for as a student', async () => {
    const em = fork();
    em.create(Teacher, {
      username: `t${++unique}`,
      email: `teacher${unique}@mergington.edu`,
      name: 'T',
      role: 'teacher',
      passwordHash: hash,
    });
    await em.flush();
    const nobody = { email: 'nobody-here@mergington.edu', as: 'student' } as const;
    expect(await requestPasswordReset(fork(), nobody, freshAddress())).toBeNull();
    const wrongSide = { email: `teacher${unique}@mergington.edu`, as: 'student' } as const;
    expect(await requestPasswordReset(fork(), wrongSide, freshAddress())).toBeNull();
    const rightSide = { email: `teacher${unique}@mergington.edu`, as: 'teacher' } as const;
    expect(await requestPasswordReset(fork(), rightSide, freshAddress())).not.toBeNull();
  });

  it(`sends one address at most ${PASSWORD_RESET.perAccount.limit} links an hour, even asked for in parallel`, async () => {
    const { email } = await student();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        requestPasswordReset(fork(), { email, as: 'student' }, freshAddress()),
      ),
    );
    expect(answers.filter((answer) => answer !== null)).toHaveLength(PASSWORD_RESET.perAccount.limit);
    const [row] = await sql<{ links: number }>(
      `select count(*)::int as links from password_reset r join student s on s.id = r.student_id where s.email = ?`,
      [email],
    );
    expect(row!.links).toBe(PASSWORD_RESET.perAccount.limit);
  });

  it(`refuses a client address after ${PASSWORD_RESET.perAddress.limit} requests, even in parallel`, async () => {
    const address = freshAddress();
    const outcomes = await Promise.all(
      Array.from({ length: PASSWORD_RESET.perAddress.limit + 5 }, (_, index) =>
        requestPasswordReset(fork(), { email: `sweep${index}@mergington.edu`, as: 'student' }, address).then(
          () => 'answered',
          (error: unknown) => (error instanceof TooManyResetRequestsError ? 'refused' : String(error)),
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'answered')).toHaveLength(
      PASSWORD_RESET.perAddress.limit,
    );
    expect(outcomes.filter((outcome) => outcome === 'refused')).toHaveLength(5);
  });
});

describe('resetPassword', () => {
  it('sets the password, ends every session, lifts a temporary password and burns the link', async () => {
    const { email, id } = await student({ mustChangePassword: true });
    const session = await createSession(fork(), {
      kind: 'student',
      id,
      email,
      name: 'S',
      grade: 10,
      mustChangePassword: true,
    });
    const { token } = (await requestPasswordReset(fork(), { email, as: 'student' }, freshAddress()))!;

    await resetPassword(fork(), { token, password: 'a brand new one' });

    expect(await findSessionUser(fork(), session.token)).toBeNull();
    const signedIn = await logIn(
      fork(),
      { as: 'student', login: email, password: 'a brand new one' },
      '10.0.0.1',
    );
    expect(signedIn.user.mustChangePassword).toBe(false);
    await expect(resetPassword(fork(), { token, password: 'yet another one' })).rejects.toThrow(
      InvalidResetLinkError,
    );
    expect(await passwordResetToSend(fork(), (await jobsFor(token))[0]!.data.resetId)).toBeNull();
  });

  it('burns the other open links of the account with it', async () => {
    const { email } = await student();
    const first = (await requestPasswordReset(fork(), { email, as: 'student' }, freshAddress()))!;
    const second = (await requestPasswordReset(fork(), { email, as: 'student' }, freshAddress()))!;
    await resetPassword(fork(), { token: second.token, password: 'a brand new one' });
    await expect(resetPassword(fork(), { token: first.token, password: 'another one' })).rejects.toThrow(
      InvalidResetLinkError,
    );
  });

  it('lets one of two uses of a link at once through', async () => {
    const { email } = await student();
    const { token } = (await requestPasswordReset(fork(), { email, as: 'student' }, freshAddress()))!;
    const outcomes = await Promise.allSettled([
      resetPassword(fork(), { token, password: 'first new one' }),
      resetPassword(fork(), { token, password: 'second new one' }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses an expired link and an unknown one with the same error', async () => {
    const { email } = await student();
    const { token } = (await requestPasswordReset(fork(), { email, as: 'student' }, freshAddress()))!;
    await sql(`update password_reset set expires_at = now() - interval '1 second' where token_hash = ?`, [
      hashToken(token),
    ]);
    await expect(resetPassword(fork(), { token, password: 'a brand new one' })).rejects.toThrow(
      InvalidResetLinkError,
    );
    await expect(
      resetPassword(fork(), { token: 'not-a-token', password: 'a brand new one' }),
    ).rejects.toThrow(InvalidResetLinkError);
    const check = await logIn(fork(), { as: 'student', login: email, password: 'the old one' }, '10.0.0.2');
    expect(check.user.email).toBe(email);
  });
});
