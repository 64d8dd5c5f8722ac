import { z } from 'zod';
import {
  createStudent,
  createTeacher,
  deleteStudent,
  deleteTeacher,
  getStudent,
  getTeacher,
  idInput,
  listStudents,
  listTeachers,
  pageOf,
  studentCreateInput,
  studentListInput,
  studentSchema,
  studentUpdateInput,
  teacherCreateInput,
  teacherListInput,
  teacherSchema,
  teacherUpdateInput,
  updateStudent,
  updateTeacher,
} from '@mergington/db';
import { adminProcedure, router, teacherProcedure } from '../trpc.ts';

const deleted = z.object({ id: z.number().int() });

/** Teachers look students up (to manage participants); admins create, change and delete them. */
export const studentsRouter = router({
  list: teacherProcedure
    .input(studentListInput)
    .output(pageOf(studentSchema))
    .query(({ ctx, input }) => listStudents(ctx.em, input)),
  get: teacherProcedure
    .input(idInput)
    .output(studentSchema)
    .query(({ ctx, input }) => getStudent(ctx.em, input.id)),
  create: adminProcedure
    .input(studentCreateInput)
    .output(studentSchema)
    .mutation(({ ctx, input }) => createStudent(ctx.em, input)),
  update: adminProcedure
    .input(studentUpdateInput)
    .output(studentSchema)
    .mutation(({ ctx, input }) => updateStudent(ctx.em, input)),
  delete: adminProcedure
    .input(idInput)
    .output(deleted)
    .mutation(async ({ ctx, input }) => {
      await deleteStudent(ctx.em, input.id);
      return input;
    }),
});

export const teachersRouter = router({
  list: adminProcedure
    .input(teacherListInput)
    .output(pageOf(teacherSchema))
    .query(({ ctx, input }) => listTeachers(ctx.em, input)),
  get: adminProcedure
    .input(idInput)
    .output(teacherSchema)
    .query(({ ctx, input }) => getTeacher(ctx.em, input.id)),
  create: adminProcedure
    .input(teacherCreateInput)
    .output(teacherSchema)
    .mutation(({ ctx, input }) => createTeacher(ctx.em, input)),
  update: adminProcedure
    .input(teacherUpdateInput)
    .output(teacherSchema)
    .mutation(({ ctx, input }) => updateTeacher(ctx.em, input)),
  delete: adminProcedure
    .input(idInput)
    .output(deleted)
    .mutation(async ({ ctx, input }) => {
      await deleteTeacher(ctx.em, input.id);
      return input;
    }),
});
