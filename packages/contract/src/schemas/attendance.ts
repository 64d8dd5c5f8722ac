import { z } from 'zod';
import { ATTENDANCE_SOURCES, ATTENDANCE_STATUSES } from '../constants.ts';
import { idSchema, textSchema, timeSchema } from './common.ts';
import { dayStringSchema } from './school.ts';

// ---- school closures

export const closureSchema = z.object({
  id: z.number().int(),
  startsOn: z.string(),
  /** The last day closed (inclusive). */
  endsOn: z.string(),
  reason: z.string(),
});
export type ClosureDto = z.infer<typeof closureSchema>;

export const closureCreateInput = z
  .object({
    startsOn: dayStringSchema,
    /** Omitted: a single day. */
    endsOn: dayStringSchema.optional(),
    reason: textSchema.trim().max(200).default(''),
  })
  .strict()
  .refine((value) => !value.endsOn || value.endsOn >= value.startsOn, {
    path: ['endsOn'],
    message: 'must be on or after the first day',
  });
export type ClosureCreateInput = z.infer<typeof closureCreateInput>;

// ---- meetings

/** The longest span one listing covers: a school year and a little more. */
export const MAX_MEETING_SPAN_DAYS = 400;

export const meetingSchema = z.object({
  /** Null for a meeting of the schedule that nothing has happened to yet (it is not stored). */
  id: z.number().int().nullable(),
  activityId: z.number().int(),
  /** The schedule's date this meeting stands for; null for a one-off meeting a teacher added. */
  scheduledOn: z.string().nullable(),
  /** The day it takes place in the school's time zone, "YYYY-MM-DD". */
  date: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  cancelled: z.boolean(),
  /** Held at another time than the schedule says. */
  moved: z.boolean(),
  /** A one-off meeting, not from the schedule. */
  added: z.boolean(),
  checkinOpen: z.boolean(),
});
export type MeetingDto = z.infer<typeof meetingSchema>;

export const meetingListInput = z
  .object({ activityId: idSchema, from: dayStringSchema, to: dayStringSchema })
  .strict()
  .superRefine((value, ctx) => {
    const days = (Date.parse(value.to) - Date.parse(value.from)) / 86_400_000;
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
    if (days > MAX_MEETING_SPAN_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${MAX_MEETING_SPAN_DAYS} days after from`,
      });
    }
  });
export type MeetingListInput = z.infer<typeof meetingListInput>;

/** A meeting by its id, or a meeting of the schedule by its activity and date (stored on first use). */
export const meetingRefSchema = z.union([
  z.object({ meetingId: idSchema }).strict(),
  z.object({ activityId: idSchema, scheduledOn: dayStringSchema }).strict(),
]);
export type MeetingRef = z.infer<typeof meetingRefSchema>;

const meetingTimes = {
  /** Wall-clock date and times in the school's time zone. */
  date: dayStringSchema,
  startTime: timeSchema,
  endTime: timeSchema,
};
const endsAfterStart = (value: { startTime: string; endTime: string }, ctx: z.RefinementCtx) => {
  if (value.endTime <= value.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'must be after the start time' });
  }
};
export const meetingAddInput = z
  .object({ activityId: idSchema, ...meetingTimes })
  .strict()
  .superRefine(endsAfterStart);
export type MeetingAddInput = z.infer<typeof meetingAddInput>;
export const meetingMoveInput = z
  .object({ meeting: meetingRefSchema, ...meetingTimes })
  .strict()
  .superRefine(endsAfterStart);
export type MeetingMoveInput = z.infer<typeof meetingMoveInput>;
export const meetingCancelInput = z
  .object({ meeting: meetingRefSchema, cancelled: z.boolean().default(true) })
  .strict();
export const meetingInput = z.object({ meeting: meetingRefSchema }).strict();

// ---- roll call

export const attendanceStatusSchema = z.enum(ATTENDANCE_STATUSES);
const noteSchema = textSchema.trim().max(500);

export const rollCallEntrySchema = z.object({
  studentId: z.number().int(),
  name: z.string(),
  grade: z.number().int().nullable(),
  /** Null: nothing recorded yet. */
  status: attendanceStatusSchema.nullable(),
  note: z.string(),
  source: z.enum(ATTENDANCE_SOURCES).nullable(),
  recordedAt: z.date().nullable(),
  recordedBy: z.string().nullable(),
  /** No longer enrolled: the record stays, the student is shown for it. */
  withdrawn: z.boolean(),
});
export type RollCallEntry = z.infer<typeof rollCallEntrySchema>;

export const rollCallSchema = z.object({
  meeting: meetingSchema.extend({ activityName: z.string() }),
  students: z.array(rollCallEntrySchema),
});
export type RollCallDto = z.infer<typeof rollCallSchema>;

export const attendanceMarkInput = z
  .object({
    meeting: meetingRefSchema,
    marks: z
      .array(
        z
          .object({ studentId: idSchema, status: attendanceStatusSchema, note: noteSchema.default('') })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();
export type AttendanceMarkInput = z.infer<typeof attendanceMarkInput>;

export const attendanceChangeSchema = z.object({
  studentId: z.number().int(),
  studentName: z.string(),
  status: attendanceStatusSchema,
  note: z.string(),
  source: z.enum(ATTENDANCE_SOURCES),
  changedBy: z.string().nullable(),
  changedAt: z.date(),
});
export type AttendanceChangeDto = z.infer<typeof attendanceChangeSchema>;

// ---- self check-in

export const CHECKIN_CODE_DIGITS = 6;
export const CHECKIN_STEP_SECONDS = 30;
export const checkinCodeSchema = textSchema
  .trim()
  .regex(new RegExp(`^\\d{${CHECKIN_CODE_DIGITS}}$`), `must be the ${CHECKIN_CODE_DIGITS} digits shown`);

export const checkinOpenInput = z
  .object({ meeting: meetingRefSchema, graceMinutes: z.number().int().min(0).max(240).default(10) })
  .strict();
export const checkinCodeOutput = z.object({
  meetingId: z.number().int(),
  code: z.string(),
  /** When this code stops being the current one (it is still taken one step after). */
  validUntil: z.date(),
  /** The link the QR code holds: the student's check-in screen with the code filled in. */
  path: z.string(),
  graceMinutes: z.number().int(),
});
export type CheckinCodeDto = z.infer<typeof checkinCodeOutput>;

export const checkinInput = z.object({ meetingId: idSchema, code: checkinCodeSchema }).strict();
export const checkinResultSchema = z.object({
  meetingId: z.number().int(),
  activityName: z.string(),
  status: attendanceStatusSchema,
});
export type CheckinResultDto = z.infer<typeof checkinResultSchema>;

// ---- follow-up

export const attendanceTotalsSchema = z.object({
  present: z.number().int(),
  late: z.number().int(),
  absent: z.number().int(),
  excused: z.number().int(),
  /** Present or late, out of the meetings with a status other than excused; null when there are none. */
  rate: z.number().nullable(),
});
export type AttendanceTotals = z.infer<typeof attendanceTotalsSchema>;

export const activityAttendanceSchema = z.object({
  activityId: z.number().int(),
  totals: attendanceTotalsSchema,
  students: z.array(
    z.object({
      studentId: z.number().int(),
      name: z.string(),
      withdrawn: z.boolean(),
      totals: attendanceTotalsSchema,
    }),
  ),
});
export type ActivityAttendanceDto = z.infer<typeof activityAttendanceSchema>;

export const studentAttendanceSchema = z.object({
  studentId: z.number().int(),
  totals: attendanceTotalsSchema,
  activities: z.array(
    z.object({ activityId: z.number().int(), activityName: z.string(), totals: attendanceTotalsSchema }),
  ),
  records: z.array(
    z.object({
      meetingId: z.number().int(),
      activityId: z.number().int(),
      activityName: z.string(),
      startsAt: z.date(),
      status: attendanceStatusSchema,
      note: z.string(),
    }),
  ),
});
export type StudentAttendanceDto = z.infer<typeof studentAttendanceSchema>;

export const absenceAlertSchema = z.object({
  /** The setting: students with at least `absences` unexcused absences in the last `days` days. */
  absences: z.number().int(),
  days: z.number().int(),
  students: z.array(
    z.object({
      studentId: z.number().int(),
      name: z.string(),
      grade: z.number().int().nullable(),
      unexcused: z.number().int(),
      lastAbsence: z.date(),
      activities: z.array(z.string()),
    }),
  ),
});
export type AbsenceAlertDto = z.infer<typeof absenceAlertSchema>;

export const weeklyAttendanceSchema = z.array(
  z.object({
    /** The Monday the week starts on, in the school's time zone. */
    week: z.string(),
    attended: z.number().int(),
    counted: z.number().int(),
    rate: z.number().nullable(),
  }),
);
export type WeeklyAttendanceDto = z.infer<typeof weeklyAttendanceSchema>;
export const weeklyAttendanceInput = z
  .object({ weeks: z.number().int().min(1).max(52).default(12) })
  .strict();
export const meetingIdInput = z.object({ meetingId: idSchema }).strict();
export const studentAttendanceInput = z.object({ studentId: idSchema }).strict();
