// The fixed vocabularies of the domain.

export const GRADES = [9, 10, 11, 12] as const;

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SCHOOL_DAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
export const WEEKEND_DAYS: readonly Weekday[] = ['saturday', 'sunday'];

/**
 * When students look for activities: before lessons (a school day, ending by 08:00), after them (a school day,
 * starting at 15:00 or later) or at the weekend.
 */
export const TIMES_OF_DAY = ['before-school', 'after-school', 'weekend'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];
export const LESSONS = { start: '08:00', end: '15:00' } as const;

export const TEACHER_ROLES = ['teacher', 'admin'] as const;
export type TeacherRole = (typeof TEACHER_ROLES)[number];

export const PARTICIPANT_STATUSES = ['enrolled', 'waitlisted'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

export const GROUP_ROLES = ['leader', 'member'] as const;

export const NEWS_CATEGORIES = [
  'general',
  'competition_results',
  'new_activity',
  'schedule_change',
  'achievement',
] as const;

/** What a payment row holds. Overdue is not among them: it is derived (pending past its due date). */
export const STORED_PAYMENT_STATUSES = ['pending', 'paid', 'refunded', 'waived'] as const;
export type StoredPaymentStatus = (typeof STORED_PAYMENT_STATUSES)[number];
/** What a payment is shown and filtered as: its stored status, or overdue. */
export const PAYMENT_STATUSES = [
  'pending',
  'paid',
  'overdue',
  'refunded',
  'waived',
] as const satisfies readonly (StoredPaymentStatus | 'overdue')[];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A student's status at a meeting. Absent is the unexcused one: follow-up counts it. */
export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
/** How a status was recorded: by a teacher's roll call or by the student's own check-in. */
export const ATTENDANCE_SOURCES = ['roll_call', 'check_in'] as const;
export type AttendanceSource = (typeof ATTENDANCE_SOURCES)[number];
