import { z } from 'zod';
import { TEACHER_ROLES } from '../constants.ts';
import {
  emailSchema,
  gradeSchema,
  idSchema,
  normalizeEmail,
  pageInput,
  passwordSchema,
  personNameSchema,
  searchSchema,
  usernameSchema,
  textSchema,
} from './common.ts';

export const registerInput = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    grade: gradeSchema.nullable(),
    password: passwordSchema,
  })
  .strict();
export type RegisterInput = z.infer<typeof registerInput>;

export const logInInput = z
  .object({
    /** Students log in by email; teachers and admins by email or username. */
    as: z.enum(['student', 'teacher']),
    // An email in the form emailSchema stores (so a Unicode domain finds its punycode twin), else a username.
    login: textSchema
      .overwrite((login) => (login.includes('@') ? normalizeEmail(login) : login.trim().toLowerCase()))
      .min(1)
      .max(254),
    password: textSchema.min(1).max(200),
    /** 'cookie' (the web app): the token is set as an HttpOnly cookie and not returned. */
    transport: z.enum(['token', 'cookie']).default('token'),
  })
  .strict();
export type LogInInput = z.infer<typeof logInInput>;

export const changePasswordInput = z
  .object({ currentPassword: textSchema.min(1).max(200), newPassword: passwordSchema })
  .strict();

/** "Forgot your password?": whose account (students and teachers are apart), by its email. */
export const requestPasswordResetInput = z
  .object({ email: emailSchema, as: z.enum(['student', 'teacher']) })
  .strict();
export type RequestPasswordResetInput = z.infer<typeof requestPasswordResetInput>;

/** A reset link's token (base64url, as sent) and the new password. */
export const resetPasswordInput = z
  .object({ token: textSchema.min(1).max(200), password: passwordSchema })
  .strict();
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;

export const principalSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('student'),
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    grade: z.number().int().nullable(),
    /** An admin reset the password to a temporary one: it must be changed before anything else. */
    mustChangePassword: z.boolean(),
  }),
  z.object({
    kind: z.literal('teacher'),
    id: z.number().int(),
    email: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.enum(TEACHER_ROLES),
    mustChangePassword: z.boolean(),
  }),
]);
export type Principal = z.infer<typeof principalSchema>;

export const sessionSchema = z.object({
  /** Null when the token went into a cookie. */
  token: z.string().nullable(),
  expiresAt: z.date(),
  user: principalSchema,
});

export const studentSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  grade: z.number().int().nullable(),
  hasPassword: z.boolean(),
  createdAt: z.date(),
});
export type StudentDto = z.infer<typeof studentSchema>;

export const studentListInput = z
  .object({
    ...pageInput,
    grade: gradeSchema.nullable().optional(),
    search: searchSchema,
    /** Only students signed up for this activity (enrolled or waitlisted): who may owe for it. */
    signedUpFor: idSchema.optional(),
  })
  .strict();
export type StudentListInput = z.infer<typeof studentListInput>;

const studentFields = {
  email: emailSchema,
  name: personNameSchema,
  grade: gradeSchema.nullable(),
  password: passwordSchema.optional(),
};
export const studentCreateInput = z.object(studentFields).strict();
export const studentUpdateInput = z.object(studentFields).partial().extend({ id: idSchema }).strict();

export const teacherSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(TEACHER_ROLES),
  createdAt: z.date(),
});
export type TeacherDto = z.infer<typeof teacherSchema>;
/** Every teacher by name, for the people who pick one (an event's judges): no emails, no roles. */
export const teacherNamesSchema = z.array(z.object({ id: z.number().int(), name: z.string() }));

export const teacherListInput = z
  .object({ ...pageInput, role: z.enum(TEACHER_ROLES).optional(), search: searchSchema })
  .strict();
const teacherFields = {
  email: emailSchema,
  username: usernameSchema,
  name: personNameSchema,
  role: z.enum(TEACHER_ROLES),
  password: passwordSchema,
};
export const teacherCreateInput = z.object(teacherFields).strict();
export const teacherUpdateInput = z.object(teacherFields).partial().extend({ id: idSchema }).strict();
