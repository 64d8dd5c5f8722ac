import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Student } from './student.ts';
import { Teacher } from './teacher.ts';

/** A login: only the SHA-256 of the opaque token is stored, so a database leak yields no usable token. */
export const Session = defineEntity({
  name: 'Session',
  properties: {
    id: p.integer().primary(),
    tokenHash: p.string().length(64).unique(),
    student: () => p.manyToOne(Student).nullable().deleteRule('cascade').index(),
    teacher: () => p.manyToOne(Teacher).nullable().deleteRule('cascade').index(),
    expiresAt: p.datetime().index(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  checks: [{ name: 'session_one_user', expression: '(student_id is null) <> (teacher_id is null)' }],
});

export type Session = InferEntity<typeof Session>;
