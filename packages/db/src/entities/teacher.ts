import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { isNormalized, timestamps } from './common.ts';
import { TEACHER_ROLES } from '@mergington/contract';

export const Teacher = defineEntity({
  name: 'Teacher',
  properties: {
    id: p.integer().primary(),
    email: p.string().length(254).unique(),
    /** The old app logged teachers in by username, so it stays a login name. */
    username: p.string().length(64).unique(),
    name: p.string().length(200),
    passwordHash: p.text(),
    /** Set by an admin's reset (a temporary password): the account may only change it until it does. */
    mustChangePassword: p.boolean().default(false),
    role: p.enum([...TEACHER_ROLES]).default('teacher'),
    ...timestamps,
  },
  checks: [
    { name: 'teacher_email_normalized', expression: isNormalized('email') },
    { name: 'teacher_username_normalized', expression: isNormalized('username') },
  ],
});

export type Teacher = InferEntity<typeof Teacher>;
