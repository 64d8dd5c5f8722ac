import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import {
  ConflictError,
  DomainError,
  InvalidCredentialsError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
  OptimisticLockError,
  RuleViolationError,
  ServerBusyError,
  TooManyAttemptsError,
  TooManyGuessesError,
} from '@mergington/db';

/** What a refused row means to the person who asked, for the constraints whose names say too little. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  activity_participant_once: 'this student is already signed up for this activity',
  activity_seat_limit: 'the activity has no free seat',
  attendance_student_enrolled: 'the student is not enrolled in this activity',
  activity_name_unique: 'an activity with this name already exists',
  student_email_unique: 'a student with this email already exists',
  teacher_email_unique: 'a teacher with this email already exists',
  teacher_username_unique: 'a teacher with this username already exists',
  group_member_one_group_per_activity: 'already in a group of this activity',
  activity_group_name_once: 'this activity already has a group of that name',
  committee_name_unique: 'a committee with this name already exists',
  feedback_once_per_activity: 'this student has already rated this activity',
  position_one_holder_at_a_time: 'the position is held by someone else for part of that term',
  event_result_place_once: 'that place already has a winner',
  event_result_student_once: 'the student already won another place of this event',
  event_result_group_once: 'the group already won another place of this event',
  payment_student_id_foreign: 'the student has payments on record: correct or move them first',
  payment_activity_id_foreign: 'the activity has payments on record: correct or move them first',
};

const DOMAIN_CODES: [abstract new (...args: never[]) => DomainError, TRPC_ERROR_CODE_KEY][] = [
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [RuleViolationError, 'BAD_REQUEST'],
  [InvalidCredentialsError, 'UNAUTHORIZED'],
  [NotSignedInError, 'UNAUTHORIZED'],
  [TooManyAttemptsError, 'TOO_MANY_REQUESTS'],
  [TooManyGuessesError, 'TOO_MANY_REQUESTS'],
  [ServerBusyError, 'TOO_MANY_REQUESTS'],
  [NotAllowedError, 'FORBIDDEN'],
];

/**
 * The one mapping from domain and database failures to tRPC codes. Anything it does not know is an
 * INTERNAL_SERVER_ERROR, whose details go to the log only.
 */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    // tRPC's own refusal of a body that grew past the limit as it arrived names only its code.
    return error.code === 'PAYLOAD_TOO_LARGE' && error.message === error.code
      ? new TRPCError({ code: error.code, message: 'the request body is too large', cause: error })
      : error;
  }
  if (error instanceof DomainError) {
    const code = DOMAIN_CODES.find(([type]) => error instanceof type)?.[1] ?? 'BAD_REQUEST';
    return new TRPCError({ code, message: error.message, cause: error });
  }
  if (error instanceof OptimisticLockError) {
    return new TRPCError({
      code: 'CONFLICT',
      message: 'changed by someone else meanwhile: reload and try again',
      cause: error,
    });
  }
  const {
    code: sqlState,
    constraint,
    message = '',
  } = error as { code?: string; constraint?: string; message?: string };
  const known = constraint ? CONSTRAINT_MESSAGES[constraint] : undefined;
  switch (sqlState) {
    case '23505': // unique_violation
    case '23P01': // exclusion_violation
      return new TRPCError({
        code: 'CONFLICT',
        message: known ?? `already exists (${constraint})`,
        cause: error,
      });
    case '23001': // restrict_violation (PostgreSQL 16+)
      return new TRPCError({
        code: 'CONFLICT',
        message: known ?? `other records still refer to it (${constraint})`,
        cause: error,
      });
    case '23503': // foreign_key_violation: a blocked delete, or a reference to nothing
      return message.includes('update or delete')
        ? new TRPCError({
            code: 'CONFLICT',
            message: known ?? `other records still refer to it (${constraint})`,
            cause: error,
          })
        : new TRPCError({
            code: 'NOT_FOUND',
            message: `refers to a record that does not exist (${constraint})`,
            cause: error,
          });
    case '23514': // check_violation
      return new TRPCError({
        code: constraint === 'activity_seat_limit' ? 'CONFLICT' : 'BAD_REQUEST',
        message: known ?? `breaks the rule ${constraint}`,
        cause: error,
      });
    case '23502': // not_null_violation
      return new TRPCError({
        code: 'BAD_REQUEST',
        message: `a required value is missing (${(error as { column?: string }).column})`,
        cause: error,
      });
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new TRPCError({
        code: 'CONFLICT',
        message: 'a concurrent change got in the way: try again',
        cause: error,
      });
  }
  if (isBadInput(sqlState)) {
    return new TRPCError({
      code: 'BAD_REQUEST',
      message: 'a value is malformed, out of range or too large',
      cause: error,
    });
  }
  if (/Timeout acquiring a connection/i.test(message)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the server is busy: no database connection came free in time: try again shortly',
      cause: error,
    });
  }
  if (isUnavailable(sqlState, message)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the database is unavailable or too slow right now: try again shortly',
      cause: error,
    });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error', cause: error });
}

/**
 * What PostgreSQL refuses as bad input: a data exception (class 22: malformed, out of range, too long, an
 * invalid byte sequence, a character the encoding lacks), a value past its limits (class 54, e.g. too large
 * for an index), or a protocol violation (08P01, what a NUL inside a statement's text gives). The request
 * is at fault, not the database: never a 503.
 */
function isBadInput(code: string | undefined): boolean {
  return !!code && (/^(22|54)/.test(code) || code === '08P01');
}

function isUnavailable(code: string | undefined, message: string): boolean {
  return (
    (!!code &&
      (/^(08|53|57P0)/.test(code) || // connection exceptions, insufficient resources, shutdowns
        code === '57014' || // query_canceled: the statement timeout
        ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE'].includes(code))) ||
    // What node-postgres says when the server goes away or restarts under it, and knex when that happened
    // at a transaction's BEGIN (the transaction is over before its first statement runs).
    /timeout exceeded when trying to connect|timeout expired|Connection terminated|connection error|not queryable|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down|in recovery)|Transaction query already complete/i.test(
      message,
    )
  );
}
