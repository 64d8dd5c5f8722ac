import { activitiesRouter, participantsRouter, signupsRouter } from './routers/activities.ts';
import { authRouter } from './routers/auth.ts';
import { studentsRouter, teachersRouter } from './routers/people.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  activities: activitiesRouter,
  participants: participantsRouter,
  signups: signupsRouter,
  students: studentsRouter,
  teachers: teachersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
