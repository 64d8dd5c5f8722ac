import { Activity, ActivityParticipant } from './activity.ts';
import { AuditLog } from './audit-log.ts';
import { Attendance, AttendanceChange, CheckinThrottle, Meeting, SchoolClosure } from './attendance.ts';
import { CalendarFeed } from './calendar-feed.ts';
import { Committee, Position } from './committee.ts';
import { Event, EventJudge } from './event.ts';
import { EventResult } from './event-result.ts';
import { Feedback } from './feedback.ts';
import { Group, GroupMember } from './group.ts';
import { ImportChunk } from './import-chunk.ts';
import { LoginThrottle } from './login-throttle.ts';
import { News } from './news.ts';
import { Notification, NotificationPreference } from './notification.ts';
import { Payment } from './payment.ts';
import {
  OpeningDrawEntry,
  RoundDraw,
  RoundOverride,
  RoundRanking,
  SignupRound,
  SignupRoundActivity,
} from './round.ts';
import { PasswordReset } from './password-reset.ts';
import { Session } from './session.ts';
import { Student } from './student.ts';
import { Teacher } from './teacher.ts';

export * from './activity.ts';
export * from './audit-log.ts';
export * from './attendance.ts';
export * from './calendar-feed.ts';
export * from './committee.ts';
export * from './event.ts';
export * from './event-result.ts';
export * from './feedback.ts';
export * from './group.ts';
export * from './import-chunk.ts';
export * from './login-throttle.ts';
export * from './news.ts';
export * from './notification.ts';
export * from './password-reset.ts';
export * from './payment.ts';
export * from './round.ts';
export * from './session.ts';
export * from './student.ts';
export * from './teacher.ts';

export const entities = [
  Student,
  Teacher,
  Activity,
  ActivityParticipant,
  Committee,
  Position,
  Event,
  EventJudge,
  EventResult,
  Group,
  GroupMember,
  News,
  Feedback,
  Payment,
  Session,
  PasswordReset,
  LoginThrottle,
  ImportChunk,
  AuditLog,
  SchoolClosure,
  Meeting,
  Attendance,
  AttendanceChange,
  CheckinThrottle,
  SignupRound,
  SignupRoundActivity,
  OpeningDrawEntry,
  RoundRanking,
  RoundDraw,
  RoundOverride,
  Notification,
  NotificationPreference,
  CalendarFeed,
];
