/**
 * Failures of the domain's rules. The API maps each class to one tRPC code; the message is written for
 * the person who made the request.
 */
export class DomainError extends Error {}

/** The row the request names does not exist. */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly key: string | number,
    /** Said to people instead of "<entity> <key> was not found", where names say it better than ids. */
    message?: string,
  ) {
    super(message ?? `${entity} ${key} was not found`);
  }
}

/** The request collides with what is already there (a duplicate, a stale version, an occupied slot). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The request is well-formed but a rule of the school forbids it (say, a grade the activity does not take). */
export class RuleViolationError extends DomainError {
  override name = 'RuleViolationError';
}

/** No free seat, where a signup may not join the waitlist (the old app's API in `open` mode). */
export class ActivityFullError extends RuleViolationError {
  override name = 'ActivityFullError';
  constructor() {
    super('the activity is full, and this signup may not join its waitlist');
  }
}

/** Wrong login or password; deliberately does not say which. */
export class InvalidCredentialsError extends DomainError {
  override name = 'InvalidCredentialsError';
  /** `as`: the kind of account the login form asked for, whose other choice the message points to. */
  constructor(as?: 'student' | 'teacher') {
    super(
      as === 'student'
        ? 'Wrong email or password for a student account. Teachers and admins: choose “a teacher or admin”.'
        : as === 'teacher'
          ? 'Wrong login or password for a teacher or admin account. Students: choose “a student”.'
          : 'Wrong password',
    );
  }
}

/** No session, or one that has ended (logged out, expired, ended by a password change). */
export class NotSignedInError extends DomainError {
  override name = 'NotSignedInError';
  constructor() {
    super('sign in first');
  }
}

/** Too many failed logins (for this account from this address, from this address, or for this account). */
export class TooManyAttemptsError extends DomainError {
  override name = 'TooManyAttemptsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed logins: try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`);
  }
}

/** Too many "forgot your password?" requests from one client address. */
export class TooManyResetRequestsError extends TooManyAttemptsError {
  override name = 'TooManyResetRequestsError';
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.message = `too many password reset requests from this address: try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`;
  }
}

/** A password reset link that is unknown, used already or expired: one answer for all three. */
export class InvalidResetLinkError extends RuleViolationError {
  override name = 'InvalidResetLinkError';
  constructor() {
    super('this password reset link has expired or was used already: ask for a new one');
  }
}

/** The server has as much of some costly work (password hashing) under way and queued as it takes. */
export class ServerBusyError extends DomainError {
  override name = 'ServerBusyError';
  constructor() {
    super('the server is busy checking passwords: try again in a moment');
  }
}

/** Signed in with the right role, but this is not theirs to do (another student's group, say). */
export class NotAllowedError extends DomainError {
  override name = 'NotAllowedError';
}

/** An admin reset the student's password: they sign up for nothing until they choose their own. */
export class PasswordResetError extends NotAllowedError {
  constructor() {
    super('your password was reset by an admin: choose a new one first (My account)');
  }
}

/** Too many wrong check-in codes from one student: their check-in is locked for a while. */
export class TooManyGuessesError extends DomainError {
  override name = 'TooManyGuessesError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many wrong codes: try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`);
  }
}
