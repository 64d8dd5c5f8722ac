import { activitiesRouter } from './routers/activities.ts';
import { auditRouter } from './routers/audit.ts';
import { attendanceRouter } from './routers/attendance.ts';
import { authRouter } from './routers/auth.ts';
import { backupRouter } from './routers/backup.ts';
import { bulkRouter } from './routers/bulk.ts';
import { calendarRouter } from './routers/calendar.ts';
import { checkinRouter } from './routers/checkin.ts';
import { closuresRouter } from './routers/closures.ts';
import { committeesRouter } from './routers/committees.ts';
import { dashboardRouter } from './routers/dashboard.ts';
import { eventsRouter } from './routers/events.ts';
import { feedbackRouter } from './routers/feedback.ts';
import { groupsRouter } from './routers/groups.ts';
import { importRouter } from './routers/import.ts';
import { meetingsRouter } from './routers/meetings.ts';
import { newsRouter } from './routers/news.ts';
import { notificationsRouter } from './routers/notifications.ts';
import { participantsRouter } from './routers/participants.ts';
import { paymentsRouter } from './routers/payments.ts';
import { positionsRouter } from './routers/positions.ts';
import { roundsRouter } from './routers/rounds.ts';
import { signupsRouter } from './routers/signups.ts';
import { studentsRouter } from './routers/students.ts';
import { teachersRouter } from './routers/teachers.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  activities: activitiesRouter,
  participants: participantsRouter,
  bulk: bulkRouter,
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
  audit: auditRouter,
  closures: closuresRouter,
  meetings: meetingsRouter,
  attendance: attendanceRouter,
  checkin: checkinRouter,
  rounds: roundsRouter,
  notifications: notificationsRouter,
  calendar: calendarRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
