import {
  createStudent,
  deleteStudent,
  getStudent,
  idInput,
  listStudents,
  pageOf,
  studentCreateInput,
  studentListInput,
  studentSchema,
  studentUpdateInput,
  updateStudent,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { adminProcedure, router, teacherProcedure } from '../trpc.ts';

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
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteStudent(ctx.em, input.id);
      return input;
    }),
});
