import { activitiesRouter } from './routers/activities.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  activities: activitiesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
