import {
  auditListInput,
  auditPageSchema,
  listAuditLog,
  rosterHistory,
  rosterHistoryInput,
  rosterHistoryPageSchema,
} from '@mergington/db';
import { adminProcedure, router, teacherProcedure } from '../trpc.ts';

/** The audit trail (README: Audit trail): every change for admins, an activity's roster history for staff. */
export const auditRouter = router({
  list: adminProcedure
    .input(auditListInput)
    .output(auditPageSchema)
    .query(({ ctx, input }) => listAuditLog(ctx.em, input)),
  /** Also for a deleted activity: its history outlives it. */
  rosterHistory: teacherProcedure
    .input(rosterHistoryInput)
    .output(rosterHistoryPageSchema)
    .query(({ ctx, input }) => rosterHistory(ctx.em, input.activityId, input)),
});
