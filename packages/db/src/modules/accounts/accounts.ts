import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session, Student, Teacher } from '../../entities/index.ts';
import { ConflictError, InvalidCredentialsError, NotFoundError } from '../../errors.ts';
import { countLoginAttempt, loginAttemptSucceeded } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { type LogInInput, type Principal, type RegisterInput, type StudentDto } from '@mergington/contract';
import { toStudentDto } from './students.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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
 * Checks a login and opens a session. The attempt is counted before the password is checked
 * (login-throttle.ts); a success then takes its count back, replaces a hash in an old format or at other
 * costs, and opens the session, all in one transaction.
 */
export async function logIn(
  em: EntityManager,
  input: Pick<LogInInput, 'as' | 'login' | 'password'>,
  clientAddress: string,
): Promise<IssuedSession> {
  const account =
    input.as === 'student'
      ? await em.findOne(Student, { email: input.login })
      : await em.findOne(Teacher, { $or: [{ email: input.login }, { username: input.login }] });
  // A teacher's email and username are one account, one counter; a name no account has is counted as
  // typed, so that it behaves exactly as an account would.
  const attempt = await countLoginAttempt(
    em,
    account ? `${input.as}#${account.id}` : `${input.as}:${input.login}`,
    clientAddress,
  );
  const check = await verifyPassword(account?.passwordHash ?? null, input.password);
  if (!account || !check.valid) throw new InvalidCredentialsError(input.as);

  const passwordHash = check.needsRehash ? await hashPassword(input.password) : null;
  const user =
    input.as === 'student' ? studentPrincipal(account as Student) : teacherPrincipal(account as Teacher);
  return em.transactional(async (tx) => {
    await loginAttemptSucceeded(tx, attempt);
    if (passwordHash) await setPasswordHash(tx, user, passwordHash);
    const { token, expiresAt } = await createSession(tx, user);
    return { token, expiresAt, user };
  });
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
            t.id as teacher_id, t.email as teacher_email, t.username, t.name as teacher_name, t.role,
            coalesce(st.must_change_password, t.must_change_password) as must_change_password
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
      mustChangePassword: row.must_change_password,
    };
  }
  return {
    kind: 'teacher',
    id: row.teacher_id!,
    email: row.teacher_email!,
    username: row.username!,
    name: row.teacher_name!,
    role: row.role!,
    mustChangePassword: row.must_change_password,
  };
}

interface SessionRow {
  must_change_password: boolean;
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

/** Changes a password after checking the current one; every other session of the user ends with it. */
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
  const passwordHash = await hashPassword(input.newPassword);
  await em.transactional(async (tx) => {
    await setPasswordHash(tx, user, passwordHash, { temporary: false });
    await endSessions(tx, user, currentToken);
  });
}

/** Stores a new hash; `temporary` (when given) sets whether it must be changed at the next login. */
export async function setPasswordHash(
  em: EntityManager,
  user: Pick<Principal, 'kind' | 'id'>,
  passwordHash: string,
  { temporary }: { temporary?: boolean } = {},
): Promise<void> {
  const account =
    user.kind === 'student'
      ? await em.findOneOrFail(Student, user.id)
      : await em.findOneOrFail(Teacher, user.id);
  account.passwordHash = passwordHash;
  if (temporary !== undefined) account.mustChangePassword = temporary;
  await em.flush();
}

/** Ends every session of an account (but the one `keepToken` belongs to): its password changed. */
export async function endSessions(
  em: EntityManager,
  account: Pick<Principal, 'kind' | 'id'>,
  keepToken: string | null = null,
): Promise<void> {
  await em.nativeDelete(Session, {
    ...(account.kind === 'student' ? { student: account.id } : { teacher: account.id }),
    ...(keepToken ? { tokenHash: { $ne: hashToken(keepToken) } } : {}),
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
    mustChangePassword: student.mustChangePassword,
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
    mustChangePassword: teacher.mustChangePassword,
  };
}
