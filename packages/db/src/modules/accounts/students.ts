import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { endSessions } from './accounts.ts';
import { ActivityParticipant, Student } from '../../entities/index.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { hashPassword } from './passwords.ts';
import { type Page, type StudentDto, type StudentListInput } from '@mergington/contract';
import { pageBounds, toPage } from '../../paging.ts';
import { containsPattern } from '../../sql.ts';
import { fillFreeSeats } from '../activities/signups.ts';

export function toStudentDto(student: Student): StudentDto {
  return {
    id: student.id,
    email: student.email,
    name: student.name,
    grade: student.grade ?? null,
    hasPassword: !!student.passwordHash,
    createdAt: student.createdAt,
  };
}

export async function listStudents(em: EntityManager, input: StudentListInput): Promise<Page<StudentDto>> {
  const where: FilterQuery<Student> = {};
  if (input.grade !== undefined) where.grade = input.grade;
  if (input.signedUpFor !== undefined) {
    const participants = await em.find(
      ActivityParticipant,
      { activity: input.signedUpFor },
      { fields: ['student'] },
    );
    where.id = { $in: participants.map((participant) => participant.student.id) };
  }
  if (input.search) {
    const pattern = containsPattern(input.search);
    where.$or = [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }];
  }
  const [students, total] = await em.findAndCount(Student, where, {
    orderBy: { name: 'asc', id: 'asc' },
    ...pageBounds(input),
  });
  return toPage(students.map(toStudentDto), total, input);
}

export async function getStudent(em: EntityManager, id: number): Promise<StudentDto> {
  const student = await em.findOne(Student, id);
  if (!student) throw new NotFoundError('student', id);
  return toStudentDto(student);
}

export async function createStudent(
  em: EntityManager,
  input: { email: string; name: string; grade: number | null; password?: string },
): Promise<StudentDto> {
  if (await em.count(Student, { email: input.email })) {
    throw new ConflictError(`a student with email ${input.email} already exists`, 'email');
  }
  const student = em.create(Student, {
    email: input.email,
    name: input.name,
    grade: input.grade,
    passwordHash: input.password ? await hashPassword(input.password) : null,
  });
  await em.flush();
  return toStudentDto(student);
}

/**
 * An admin's change. A new password is a reset: temporary (the student must change it at their next login), and
 * it ends every session of the student in the same transaction.
 */
export async function updateStudent(
  em: EntityManager,
  input: { id: number; email?: string; name?: string; grade?: number | null; password?: string },
): Promise<StudentDto> {
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return em.transactional(async (tx) => {
    const student = await tx.findOne(Student, input.id);
    if (!student) throw new NotFoundError('student', input.id);
    if (input.email !== undefined) student.email = input.email;
    if (input.name !== undefined) student.name = input.name;
    if (input.grade !== undefined) student.grade = input.grade;
    if (passwordHash !== undefined) {
      // An admin's new password is known to the admin: a temporary one, changed at the next login.
      student.passwordHash = passwordHash;
      student.mustChangePassword = true;
      await endSessions(tx, { kind: 'student', id: student.id });
    }
    await tx.flush();
    return toStudentDto(student);
  });
}

/**
 * Deletes a student with their signups, groups, feedback and sessions; the seats they held go to the
 * waitlists in the same transaction. A student with payments cannot be deleted (the database refuses).
 */
export async function deleteStudent(em: EntityManager, id: number): Promise<void> {
  await em.transactional(async (tx) => {
    const enrolledIn = await tx.execute<{ activity_id: number }[]>(
      `select activity_id from activity_participant where student_id = ? and status = 'enrolled' order by activity_id`,
      [id],
    );
    // Lock the activities whose seats are freed, in id order (as every signup locks one), then delete.
    for (const { activity_id } of enrolledIn) {
      await tx.execute(`select id from activity where id = ? for update`, [activity_id]);
    }
    const deleted = await tx.nativeDelete(Student, { id });
    if (!deleted) throw new NotFoundError('student', id);
    for (const { activity_id } of enrolledIn) await fillFreeSeats(tx, activity_id);
  });
}
