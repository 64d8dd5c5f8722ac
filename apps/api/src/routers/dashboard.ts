import { dashboard, dashboardSchema } from '@mergington/db';
import { adminProcedure, router } from '../trpc.ts';

export const dashboardRouter = router({
  get: adminProcedure.output(dashboardSchema).query(({ ctx }) => dashboard(ctx.em)),
});
