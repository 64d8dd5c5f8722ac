import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Student } from './student.ts';
import { Teacher } from './teacher.ts';

/**
 * A "forgot your password?" link: one hour, one use. Only the SHA-256 of its token is stored (as for
 * sessions), so a database leak yields no usable link; the token itself travels only in its email's job.
 */
export const PasswordReset = defineEntity({
  name: 'PasswordReset',
  properties: {
    id: p.integer().primary(),
    tokenHash: p.string().length(64).unique(),
    student: () => p.manyToOne(Student).nullable().deleteRule('cascade').index(),
    teacher: () => p.manyToOne(Teacher).nullable().deleteRule('cascade').index(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  checks: [{ name: 'password_reset_one_user', expression: '(student_id is null) <> (teacher_id is null)' }],
});

export type PasswordReset = InferEntity<typeof PasswordReset>;
