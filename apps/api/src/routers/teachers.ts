import {
  createTeacher,
  deleteTeacher,
  getTeacher,
  idInput,
  listTeachers,
  pageOf,
  teacherCreateInput,
  teacherListInput,
  teacherNamesSchema,
  teacherNames,
  teacherSchema,
  teacherUpdateInput,
  updateTeacher,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { adminProcedure, router, teacherProcedure } from '../trpc.ts';

export const teachersRouter = router({
  list: adminProcedure
    .input(teacherListInput)
    .output(pageOf(teacherSchema))
    .query(({ ctx, input }) => listTeachers(ctx.em, input)),
  /** Every teacher by name, for picking an event's judges. */
  names: teacherProcedure.output(teacherNamesSchema).query(({ ctx }) => teacherNames(ctx.em)),
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
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteTeacher(ctx.em, input.id);
      return input;
    }),
});
