import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LoginThrottle, Session, Student, Teacher } from './entities/index.ts';
import { ConflictError, InvalidCredentialsError, NotFoundError, TooManyAttemptsError } from './errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { LogInInput, Principal, RegisterInput, StudentDto } from './schemas/index.ts';
import { toStudentDto } from './students.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Five failed logins within fifteen minutes lock the account name for fifteen minutes. */
export const LOGIN_MAX_FAILURES = 5;
const LOGIN_WINDOW = '15 minutes';

/** Students register themselves; an email already known (even from an old participant list) is a conflict. */
export async function registerStudent(em: EntityManager, input: RegisterInput): Promise<StudentDto> {
  if (await em.count(Student, { email: input.email })) {
    throw new ConflictError(`an account with email ${input.email} already exists`, 'email');
  }
  const student = em.create(Student, {
    email: input.email,
    name: input.name,
    grade: input.grade,
    passwordHash: await hashPassword(input.password),
  });
  await em.flush();
  return toStudentDto(student);
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: Principal;
}

/**
 * Checks a login and opens a session. Failures are counted per account name in PostgreSQL (so every API
 * replica sees them); a hash in an old format is replaced by argon2id on the first success.
 */
export async function logIn(
  em: EntityManager,
  input: Pick<LogInInput, 'as' | 'login' | 'password'>,
): Promise<IssuedSession> {
  const key = `${input.as}:${input.login}`;
  const [locked] = await em.execute<{ seconds: number }[]>(
    `select ceil(extract(epoch from locked_until - now()))::int as seconds from login_throttle
      where key = ? and locked_until > now()`,
    [key],
  );
  if (locked) throw new TooManyAttemptsError(locked.seconds);

  const account =
    input.as === 'student'
      ? await em.findOne(Student, { email: input.login })
      : await em.findOne(Teacher, { $or: [{ email: input.login }, { username: input.login }] });
  const check = await verifyPassword(account?.passwordHash ?? null, input.password);
  if (!account || !check.valid) {
    await recordFailure(em, key);
    throw new InvalidCredentialsError();
  }

  await em.nativeDelete(LoginThrottle, { key });
  if (check.needsRehash) account.passwordHash = await hashPassword(input.password);
  const user =
    input.as === 'student' ? studentPrincipal(account as Student) : teacherPrincipal(account as Teacher);
  const { token, expiresAt } = await createSession(em, user);
  return { token, expiresAt, user };
}

async function recordFailure(em: EntityManager, key: string): Promise<void> {
  const [row] = await em.execute<{ failures: number }[]>(
    `insert into login_throttle as t (key, failures, window_started_at) values (?, 1, now())
     on conflict (key) do update set
       failures = case when t.window_started_at < now() - interval '${LOGIN_WINDOW}' then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at < now() - interval '${LOGIN_WINDOW}' then now() else t.window_started_at end
     returning failures`,
    [key],
  );
  if (row && row.failures >= LOGIN_MAX_FAILURES) {
    await em.execute(
      `update login_throttle set locked_until = now() + interval '${LOGIN_WINDOW}', failures = 0, window_started_at = now()
        where key = ?`,
      [key],
    );
  }
}

/** Opens a session for a user: a random opaque token, of which only the SHA-256 is stored. */
export async function createSession(
  em: EntityManager,
  user: Principal,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  em.create(Session, {
    tokenHash: hashToken(token),
    expiresAt,
    student: user.kind === 'student' ? user.id : null,
    teacher: user.kind === 'teacher' ? user.id : null,
  });
  await em.flush();
  return { token, expiresAt };
}

/** The user a token belongs to, if its session exists and has not expired: one indexed query. */
export async function findSessionUser(em: EntityManager, token: string): Promise<Principal | null> {
  const [row] = await em.execute<SessionRow[]>(
    `select st.id as student_id, st.email as student_email, st.name as student_name, st.grade,
            t.id as teacher_id, t.email as teacher_email, t.username, t.name as teacher_name, t.role
       from session s
       left join student st on st.id = s.student_id
       left join teacher t on t.id = s.teacher_id
      where s.token_hash = ? and s.expires_at > now()`,
    [hashToken(token)],
  );
  if (!row) return null;
  if (row.student_id !== null) {
    return {
      kind: 'student',
      id: row.student_id,
      email: row.student_email!,
      name: row.student_name!,
      grade: row.grade,
    };
  }
  return {
    kind: 'teacher',
    id: row.teacher_id!,
    email: row.teacher_email!,
    username: row.username!,
    name: row.teacher_name!,
    role: row.role!,
  };
}

interface SessionRow {
  student_id: number | null;
  student_email: string | null;
  student_name: string | null;
  grade: number | null;
  teacher_id: number | null;
  teacher_email: string | null;
  username: string | null;
  teacher_name: string | null;
  role: 'teacher' | 'admin' | null;
}

export async function revokeSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(Session, { tokenHash: hashToken(token) });
}

/** Changes a password after checking the current one; every other session of the user ends. */
export async function changePassword(
  em: EntityManager,
  user: Principal,
  currentToken: string | null,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const account =
    user.kind === 'student' ? await em.findOne(Student, user.id) : await em.findOne(Teacher, user.id);
  if (!account) throw new NotFoundError(user.kind, user.id);
  if (!(await verifyPassword(account.passwordHash ?? null, input.currentPassword)).valid) {
    throw new InvalidCredentialsError();
  }
  account.passwordHash = await hashPassword(input.newPassword);
  await em.flush();
  await em.nativeDelete(Session, {
    ...(user.kind === 'student' ? { student: user.id } : { teacher: user.id }),
    ...(currentToken ? { tokenHash: { $ne: hashToken(currentToken) } } : {}),
  });
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function studentPrincipal(student: Student): Principal {
  return {
    kind: 'student',
    id: student.id,
    email: student.email,
    name: student.name,
    grade: student.grade ?? null,
  };
}

export function teacherPrincipal(teacher: Teacher): Principal {
  return {
    kind: 'teacher',
    id: teacher.id,
    email: teacher.email,
    username: teacher.username,
    name: teacher.name,
    role: teacher.role,
  };
}
