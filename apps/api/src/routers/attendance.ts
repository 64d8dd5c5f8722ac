import { z } from 'zod';
import {
  absenceAlerts,
  absenceAlertSchema,
  absenceThreshold,
  activityAttendance,
  activityAttendanceSchema,
  activityIdInput,
  studentAttendance,
  studentAttendanceInput,
  studentAttendanceSchema,
  weeklyAttendance,
  weeklyAttendanceInput,
  weeklyAttendanceSchema,
  attendanceChangeSchema,
  attendanceHistory,
  attendanceMarkInput,
  markAttendance,
  markEveryonePresent,
  meetingInput,
  rollCall,
  rollCallSchema,
} from '@mergington/db';
import { adminProcedure, router, studentProcedure, teacherProcedure } from '../trpc.ts';

export const attendanceRouter = router({
  /** A meeting's students and their statuses; the teacher's screen polls it to see check-ins arrive. */
  rollCall: teacherProcedure
    .input(meetingInput)
    .output(rollCallSchema)
    .query(({ ctx, input }) => rollCall(ctx.em, input.meeting)),
  mark: teacherProcedure
    .input(attendanceMarkInput)
    .output(rollCallSchema)
    .mutation(({ ctx, input }) => markAttendance(ctx.em, ctx.user.id, input)),
  markEveryonePresent: teacherProcedure
    .input(meetingInput)
    .output(rollCallSchema)
    .mutation(({ ctx, input }) => markEveryonePresent(ctx.em, ctx.user.id, input.meeting)),
  history: teacherProcedure
    .input(meetingInput)
    .output(z.array(attendanceChangeSchema))
    .query(({ ctx, input }) => attendanceHistory(ctx.em, input.meeting)),
  /** Rates and unexcused absences of an activity, in all and per student. */
  forActivity: teacherProcedure
    .input(activityIdInput)
    .output(activityAttendanceSchema)
    .query(({ ctx, input }) => activityAttendance(ctx.em, input.activityId)),
  forStudent: teacherProcedure
    .input(studentAttendanceInput)
    .output(studentAttendanceSchema)
    .query(({ ctx, input }) => studentAttendance(ctx.em, input.studentId)),
  /** A student's own record. */
  mine: studentProcedure
    .output(studentAttendanceSchema)
    .query(({ ctx }) => studentAttendance(ctx.em, ctx.user.id)),
  /** Students at or over the threshold (ATTENDANCE_ALERT_ABSENCES within ATTENDANCE_ALERT_DAYS). */
  alerts: teacherProcedure
    .output(absenceAlertSchema)
    .query(({ ctx }) => absenceAlerts(ctx.em, absenceThreshold())),
  /** The school's attendance rate per week, for the admin dashboard's chart. */
  weekly: adminProcedure
    .input(weeklyAttendanceInput)
    .output(weeklyAttendanceSchema)
    .query(({ ctx, input }) => weeklyAttendance(ctx.em, input.weeks)),
});
