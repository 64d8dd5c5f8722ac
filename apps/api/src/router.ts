import { activitiesRouter, participantsRouter, signupsRouter } from './routers/activities.ts';
import { authRouter } from './routers/auth.ts';
import { backupRouter } from './routers/backup.ts';
import { committeesRouter, positionsRouter } from './routers/committees.ts';
import { dashboardRouter } from './routers/dashboard.ts';
import { eventsRouter } from './routers/events.ts';
import { feedbackRouter } from './routers/feedback.ts';
import { groupsRouter } from './routers/groups.ts';
import { importRouter } from './routers/import.ts';
import { newsRouter } from './routers/news.ts';
import { paymentsRouter } from './routers/payments.ts';
import { studentsRouter, teachersRouter } from './routers/people.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  activities: activitiesRouter,
  participants: participantsRouter,
  signups: signupsRouter,
  students: studentsRouter,
  teachers: teachersRouter,
  committees: committeesRouter,
  positions: positionsRouter,
  events: eventsRouter,
  groups: groupsRouter,
  news: newsRouter,
  feedback: feedbackRouter,
  payments: paymentsRouter,
  import: importRouter,
  backup: backupRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
