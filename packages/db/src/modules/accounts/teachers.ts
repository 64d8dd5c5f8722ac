import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { endSessions } from './accounts.ts';
import { type TeacherRole, type Page, type TeacherDto } from '@mergington/contract';
import { Teacher } from '../../entities/index.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
import { hashPassword } from './passwords.ts';
import { pageBounds, toPage } from '../../paging.ts';
import { containsPattern } from '../../sql.ts';

export function toTeacherDto(teacher: Teacher): TeacherDto {
  return {
    id: teacher.id,
    email: teacher.email,
    username: teacher.username,
    name: teacher.name,
    role: teacher.role,
    createdAt: teacher.createdAt,
  };
}

export async function listTeachers(
  em: EntityManager,
  input: { page: number; pageSize: number; role?: TeacherRole; search?: string },
): Promise<Page<TeacherDto>> {
  const where: FilterQuery<Teacher> = {};
  if (input.role) where.role = input.role;
  if (input.search) {
    const pattern = containsPattern(input.search);
    where.$or = [
      { name: { $ilike: pattern } },
      { email: { $ilike: pattern } },
      { username: { $ilike: pattern } },
    ];
  }
  const [teachers, total] = await em.findAndCount(Teacher, where, {
    orderBy: { name: 'asc', id: 'asc' },
    ...pageBounds(input),
  });
  return toPage(teachers.map(toTeacherDto), total, input);
}

/** Every teacher's id and name, by name: who may be picked as an event's judge. */
export async function teacherNames(em: EntityManager): Promise<{ id: number; name: string }[]> {
  const teachers = await em.find(
    Teacher,
    {},
    { fields: ['id', 'name'], orderBy: { name: 'asc', id: 'asc' } },
  );
  return teachers.map(({ id, name }) => ({ id, name }));
}

export async function getTeacher(em: EntityManager, id: number): Promise<TeacherDto> {
  const teacher = await em.findOne(Teacher, id);
  if (!teacher) throw new NotFoundError('teacher', id);
  return toTeacherDto(teacher);
}

export async function createTeacher(
  em: EntityManager,
  input: { email: string; username: string; name: string; role: TeacherRole; password: string },
): Promise<TeacherDto> {
  const taken = await em.findOne(Teacher, { $or: [{ email: input.email }, { username: input.username }] });
  if (taken) {
    const field = taken.email === input.email ? 'email' : 'username';
    throw new ConflictError(`a teacher with ${field} ${input[field]} already exists`, field);
  }
  const teacher = em.create(Teacher, { ...input, passwordHash: await hashPassword(input.password) });
  await em.flush();
  return toTeacherDto(teacher);
}

/**
 * An admin's change. A new password is a reset: temporary (the teacher must change it at their next login), and
 * it ends every session of the teacher in the same transaction.
 */
export async function updateTeacher(
  em: EntityManager,
  input: {
    id: number;
    email?: string;
    username?: string;
    name?: string;
    role?: TeacherRole;
    password?: string;
  },
): Promise<TeacherDto> {
  // Hashed before the transaction, which would otherwise hold the admins' row locks meanwhile.
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return em.transactional(async (tx) => {
    const teacher = await tx.findOne(Teacher, input.id);
    if (!teacher) throw new NotFoundError('teacher', input.id);
    if (teacher.role === 'admin' && input.role === 'teacher') await refuseLosingLastAdmin(tx, 'demote');
    const { id: _id, password: _password, ...fields } = input;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.assign(teacher, { [key]: value });
    }
    if (passwordHash !== undefined) {
      // An admin's new password is known to the admin: a temporary one, changed at the next login.
      teacher.passwordHash = passwordHash;
      teacher.mustChangePassword = true;
      await endSessions(tx, { kind: 'teacher', id: teacher.id });
    }
    await tx.flush();
    return toTeacherDto(teacher);
  });
}

export async function deleteTeacher(em: EntityManager, id: number): Promise<void> {
  await em.transactional(async (tx) => {
    const teacher = await tx.findOne(Teacher, id);
    if (!teacher) throw new NotFoundError('teacher', id);
    if (teacher.role === 'admin') await refuseLosingLastAdmin(tx, 'delete');
    await tx.nativeDelete(Teacher, { id });
  });
}

/** The school must keep an admin: the admins' rows are locked so two admins cannot remove each other at once. */
async function refuseLosingLastAdmin(em: EntityManager, action: 'demote' | 'delete'): Promise<void> {
  const admins = await em.execute(`select id from teacher where role = 'admin' for update`);
  if (admins.length <= 1) throw new RuleViolationError(`cannot ${action} the last admin`);
}
