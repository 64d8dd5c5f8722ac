import { z } from 'zod';
import {
  createGroup,
  deleteGroup,
  getGroup,
  groupCreateInput,
  groupIdInput,
  groupListInput,
  groupMemberInput,
  groupRenameInput,
  groupSchema,
  idInput,
  joinGroup,
  leaveGroup,
  listGroups,
  pageOf,
  removeMember,
  renameGroup,
  transferLeadership,
  visitorGroupSchema,
} from '@mergington/db';
import {
  authedProcedure,
  publicReadNamingStudents,
  router,
  studentProcedure,
  teacherProcedure,
} from '../trpc.ts';

export const groupsRouter = router({
  list: publicReadNamingStudents({ signedIn: pageOf(groupSchema), visitor: pageOf(visitorGroupSchema) })
    .input(groupListInput)
    .query(({ ctx, input }) => listGroups(ctx.em, input)),
  get: publicReadNamingStudents({ signedIn: groupSchema, visitor: visitorGroupSchema })
    .input(idInput)
    .query(({ ctx, input }) => getGroup(ctx.em, input.id)),
  /** An enrolled student forms a group and leads it. */
  create: studentProcedure
    .input(groupCreateInput)
    .output(groupSchema)
    .mutation(({ ctx, input }) => createGroup(ctx.em, ctx.user.id, input)),
  join: studentProcedure
    .input(groupIdInput)
    .output(groupSchema)
    .mutation(({ ctx, input }) => joinGroup(ctx.em, ctx.user.id, input.groupId)),
  leave: studentProcedure
    .input(groupIdInput)
    .output(z.object({ groupClosed: z.boolean() }))
    .mutation(({ ctx, input }) => leaveGroup(ctx.em, ctx.user.id, input.groupId)),
  // The group's leader or any teacher (checked in packages/db: FORBIDDEN for other students).
  transferLeadership: authedProcedure
    .input(groupMemberInput)
    .output(groupSchema)
    .mutation(({ ctx, input }) => transferLeadership(ctx.em, ctx.user, input.groupId, input.studentId)),
  removeMember: authedProcedure
    .input(groupMemberInput)
    .output(groupSchema)
    .mutation(({ ctx, input }) => removeMember(ctx.em, ctx.user, input.groupId, input.studentId)),
  rename: authedProcedure
    .input(groupRenameInput)
    .output(groupSchema)
    .mutation(({ ctx, input }) => renameGroup(ctx.em, ctx.user, input.groupId, input.name)),
  delete: teacherProcedure
    .input(groupIdInput)
    .output(z.object({ groupId: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await deleteGroup(ctx.em, input.groupId);
      return input;
    }),
});
