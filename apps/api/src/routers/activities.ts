import { z } from 'zod';
import { activitySummarySchema, listActivities } from '@mergington/db';
import { publicProcedure, router } from '../trpc.ts';

export const activitiesRouter = router({
  list: publicProcedure
    .input(z.object({}).strict().optional())
    .output(z.array(activitySummarySchema))
    .query(({ ctx }) => listActivities(ctx.em)),
});
