import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_RESET, PASSWORD_RESET_QUEUE, QUEUE_SCHEMA } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { RESET_PASSWORD_PATH } from '../notifications/email.ts';
import { startMailServer, waitFor } from '../notifications/mail-server.testing.ts';
import { type QueueRunner, startQueue } from '../notifications/queue.ts';
import type { EmailSettings } from '../notifications/settings.ts';
import { callerFor, callerWithCookies, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm, url } = await useTestDatabase();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);
const OLD = 'the old password';
const oldHash = await hashPassword(OLD);
let addresses = 0;
/** An anonymous caller from a client address of its own (the per-address counter starts at zero). */
const visitor = () => callerWithCookies(orm, undefined, `10.20.0.${++addresses}`).caller;
const mail = await startMailServer();
const jobsTo = async (email: string) =>
  (
    await sql<{ jobs: number }>(
      `select count(*)::int as jobs from ${QUEUE_SCHEMA}.job j join password_reset r on r.id = (j.data->>'resetId')::int
         left join student s on s.id = r.student_id left join teacher t on t.id = r.teacher_id
        where j.name = ? and coalesce(s.email, t.email) = ?`,
      [PASSWORD_RESET_QUEUE, email],
    )
  )[0]!.jobs;

describe('auth.requestPasswordReset', () => {
  it('answers the same for an account, for no account and for an address past its links', async () => {
    const { user } = await createTestStudent(orm, { passwordHash: oldHash });
    const known = await visitor().auth.requestPasswordReset({ email: user.email, as: 'student' });
    const unknown = await visitor().auth.requestPasswordReset({
      email: 'no-such-student@mergington.edu',
      as: 'student',
    });
    const answers = [];
    for (let i = 0; i < PASSWORD_RESET.perAccount.limit + 1; i++) {
      answers.push(await visitor().auth.requestPasswordReset({ email: user.email, as: 'student' }));
    }
    expect(unknown).toEqual(known);
    expect(answers.every((answer) => JSON.stringify(answer) === JSON.stringify(known))).toBe(true);
    expect(await jobsTo(user.email)).toBe(PASSWORD_RESET.perAccount.limit);
  });

  it('holds the per-account limit under parallel requests over the API', async () => {
    const teacher = await createTestTeacher(orm, 'teacher');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        visitor().auth.requestPasswordReset({ email: teacher.user.email, as: 'teacher' }),
      ),
    );
    expect(await jobsTo(teacher.user.email)).toBe(PASSWORD_RESET.perAccount.limit);
  });

  it('says that email is off, and writes nothing, when it is', async () => {
    const { user } = await createTestStudent(orm);
    const offline = callerWithCookies(orm, undefined, '10.30.0.1', { emailOn: false }).caller;
    expect(await offline.auth.passwordResetByEmail()).toEqual({ byEmail: false });
    expect(await visitor().auth.passwordResetByEmail()).toEqual({ byEmail: true });
    await expect(
      offline.auth.requestPasswordReset({ email: user.email, as: 'student' }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('school office'),
    });
    expect(await jobsTo(user.email)).toBe(0);
  });
});

describe('the reset link by email', () => {
  const settings: EmailSettings = {
    SMTP_URL: '',
    MAIL_FROM: 'Mergington High School <no-reply@mergington.edu>',
    SCHOOL_NAME: 'Mergington High School',
    PUBLIC_URL: 'https://activities.mergington.edu',
    EMAIL_RETRY_LIMIT: 2,
    EMAIL_RETRY_DELAY_SECONDS: 1,
    EMAIL_TIMEOUT_SECONDS: 3,
  };
  let queue: QueueRunner | null = null;
  beforeAll(async () => {
    queue = await startQueue({
      databaseUrl: url,
      orm,
      logger: pino({ level: 'silent' }),
      settings: { ...settings, SMTP_URL: mail.url },
    });
  });
  afterAll(async () => {
    await queue?.stop();
    await mail.stop();
  });

  it('arrives through SMTP with a link that sets the password once, ending every session', async () => {
    const student = await createTestStudent(orm, { passwordHash: oldHash });
    await visitor().auth.requestPasswordReset({ email: student.user.email, as: 'student' });

    const mailTo = () =>
      mail.mailbox.filter((m) => m.to && 'text' in m.to && m.to.text.includes(student.user.email));
    await waitFor(() => mailTo().length === 1, 20_000, 'the reset email');
    const [email] = mailTo();
    expect(email!.subject).toBe('Mergington High School: reset your password');
    const href = /https:\/\/\S+/.exec(email!.text ?? '')?.[0];
    const link = new URL(href!);
    expect(`${link.origin}${link.pathname}`).toBe(`${settings.PUBLIC_URL}${RESET_PASSWORD_PATH}`);
    expect(email!.html).toContain(href!.replace(/&/g, '&#38;'));
    const token = link.searchParams.get('token')!;

    await visitor().auth.resetPassword({ token, password: 'a new password' });
    await expect(callerFor(orm, student.token).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const session = await visitor().auth.logIn({
      as: 'student',
      login: student.user.email,
      password: 'a new password',
    });
    expect(session.user.id).toBe(student.user.id);
    await expect(visitor().auth.resetPassword({ token, password: 'another password' })).rejects.toMatchObject(
      {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('expired or was used'),
      },
    );
  });
});
