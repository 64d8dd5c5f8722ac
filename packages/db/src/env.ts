import { z } from 'zod';

/** The connection settings' defaults: for unset variables here, and for unset fields in createConfig (config.ts). */
export const CONNECTION_DEFAULTS = {
  poolMax: 10,
  poolAcquireTimeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 15_000,
  preparedStatements: true,
} as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  /** postgres://user:password@host:port/database. Unset: the embedded PostgreSQL under .data/ is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Port and data folder of the embedded PostgreSQL, used only when DATABASE_URL is unset. */
  EMBEDDED_PG_PORT: positiveInt(54329),
  EMBEDDED_PG_DIR: z.string().optional(),
  DB_POOL_MAX: positiveInt(CONNECTION_DEFAULTS.poolMax),
  /** How long a request waits for a free pooled connection before it fails as SERVICE_UNAVAILABLE. */
  DB_POOL_ACQUIRE_TIMEOUT_MS: positiveInt(CONNECTION_DEFAULTS.poolAcquireTimeoutMs),
  DB_CONNECT_TIMEOUT_MS: positiveInt(CONNECTION_DEFAULTS.connectTimeoutMs),
  /**
   * Sent as a connection start-up parameter; 0 sends none, leaving it to the server (behind PgBouncer,
   * which refuses unknown start-up parameters: set it with ALTER ROLE ... SET statement_timeout).
   */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(CONNECTION_DEFAULTS.statementTimeoutMs),
  /**
   * The hot statements (a signup) prepared once per connection. Behind PgBouncer in transaction mode before
   * 1.21, which cannot follow named prepared statements, set false (docs/scaling.md).
   */
  DB_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default(CONNECTION_DEFAULTS.preparedStatements ? 'true' : 'false')
    .transform((value) => value === 'true'),
  /** The school's IANA time zone: opening times, deadlines and meeting dates are wall-clock times there. */
  SCHOOL_TIME_ZONE: z
    .string()
    .default('America/New_York')
    .refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
  /** The follow-up list: students with at least this many unexcused absences... */
  ATTENDANCE_ALERT_ABSENCES: positiveInt(3),
  /** ...within this many days. */
  ATTENDANCE_ALERT_DAYS: positiveInt(30),
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The school's time zone (SCHOOL_TIME_ZONE), validated. */
export function schoolTimeZone(source: NodeJS.ProcessEnv = process.env): string {
  return readDbEnv(source).SCHOOL_TIME_ZONE;
}

/** The follow-up list's threshold (ATTENDANCE_ALERT_ABSENCES within ATTENDANCE_ALERT_DAYS), validated. */
export function absenceThreshold(source: NodeJS.ProcessEnv = process.env): {
  absences: number;
  days: number;
} {
  const env = readDbEnv(source);
  return { absences: env.ATTENDANCE_ALERT_ABSENCES, days: env.ATTENDANCE_ALERT_DAYS };
}

export type DbEnv = z.infer<typeof envSchema>;

/** The variables readDbEnv reads (docker/'s test checks the compose file names only these). */
export const DB_ENV_KEYS = Object.keys(envSchema.shape);

/** Reads and validates the database settings; a bad value is one clear line naming the variable. */
export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  return parseEnv(envSchema, source);
}

/** Validates environment variables against a zod schema; empty values count as unset. */
export function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** A problem the user fixes by changing the environment: printed as one line, never as a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
