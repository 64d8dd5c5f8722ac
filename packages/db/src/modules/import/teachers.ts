// The import's teachers: matched by username.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportDataset } from '@mergington/contract';
import { hashPassword } from '../accounts/passwords.ts';
import type { Counts } from './records.ts';

export async function importTeachers(em: EntityManager, dataset: ImportDataset, counts: Counts) {
  for (const teacher of dataset.teachers) {
    const [existing] = await em.execute<{ id: number; email: string; name: string; role: string }[]>(
      `select id, email, name, role from teacher where username = ?`,
      [teacher.username],
    );
    if (!existing) {
      const hash = teacher.passwordHash ?? (await hashPassword(teacher.password!));
      await em.execute(
        `insert into teacher (username, email, name, role, password_hash) values (?, ?, ?, ?, ?)`,
        [teacher.username, teacher.email, teacher.name, teacher.role, hash],
      );
      counts.teachers.created++;
    } else if (
      existing.email !== teacher.email ||
      existing.name !== teacher.name ||
      existing.role !== teacher.role
    ) {
      // A known teacher's password is theirs now (maybe changed, maybe upgraded at login): never overwritten.
      await em.execute(`update teacher set email = ?, name = ?, role = ?, updated_at = now() where id = ?`, [
        teacher.email,
        teacher.name,
        teacher.role,
        existing.id,
      ]);
      counts.teachers.updated++;
    } else {
      counts.teachers.unchanged++;
    }
  }
}
