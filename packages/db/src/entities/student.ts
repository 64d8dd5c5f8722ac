import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { GRADES } from '@mergington/contract';
import { isNormalized, timestamps } from './common.ts';

export const Student = defineEntity({
  name: 'Student',
  properties: {
    id: p.integer().primary(),
    email: p.string().length(254).unique(),
    name: p.string().length(200),
    /** 9-12, or null when unknown (students who came from the old participant lists). */
    grade: p.smallint().nullable().index(),
    /** Null for students who never set a password (imported from participant lists). */
    passwordHash: p.text().nullable(),
    /** Set by an admin's reset (a temporary password): the account may only change it until it does. */
    mustChangePassword: p.boolean().default(false),
    ...timestamps,
  },
  checks: [
    { name: 'student_email_normalized', expression: isNormalized('email') },
    { name: 'student_grade_range', expression: `grade >= ${GRADES[0]} and grade <= ${GRADES.at(-1)}` },
  ],
});

export type Student = InferEntity<typeof Student>;
