import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LEGACY_API_MODES, parseEnv } from '@mergington/db';
import { DEFAULT_LEGACY_RATE_LIMIT } from './legacy/rate-limit.ts';
import { DEFAULT_MAX_BODY_BYTES } from './limits.ts';
import { emailEnv } from './notifications/settings.ts';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** 127.0.0.1 keeps a developer's app private; the Docker image sets 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load the old app's sample data into an empty database at start; production images turn it off. */
  SEED_SAMPLE_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Apply pending migrations at start (the one-process default). Replicas set false: a deploy migrates
   * once (`pnpm db:migrate`), and an app that finds migrations pending refuses to start.
   */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Behind a reverse proxy of our own (the compose file's Caddy): believe its X-Forwarded-For, -Proto and
   * -Host. Off by default, as anyone can send those headers.
   */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * The largest request body /trpc reads (bytes); a larger one is a 413 before it is read. At least the
   * default, which the importer's parts fit under; `backup.restore` may send more (limits.ts).
   */
  MAX_BODY_BYTES: z.coerce.number().int().min(DEFAULT_MAX_BODY_BYTES).default(DEFAULT_MAX_BODY_BYTES),
  /**
   * API processes serving the one port (node:cluster), each with its own pool of DB_POOL_MAX connections:
   * one per core by default, as one Node process saturates one core. 1 serves in this process alone (tests
   * start it so: src/process.ts).
   */
  API_WORKERS: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
  /**
   * Days the audit trail keeps a change (README: Audit trail); older rows are pruned at start and daily.
   * At least 30, which the database enforces too.
   */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).default(365),
  /**
   * The old app's HTTP API (README: Moving from the old app): `off` (it does not exist), `open` (anyone may
   * sign up anyone: a trusted network only) or `teachers` (writes need a signed-in teacher or admin).
   */
  LEGACY_API: z.enum(LEGACY_API_MODES).default('off'),
  /**
   * The old app's static folder, served at `/static/` (and `/` redirects to its index.html) while LEGACY_API
   * is on; our web app is then at `/app/`.
   */
  LEGACY_STATIC_DIR: z.string().min(1).optional(),
  /** `open` mode: requests per minute that one client address may make to the old endpoints. */
  LEGACY_RATE_LIMIT: z.coerce.number().int().min(1).default(DEFAULT_LEGACY_RATE_LIMIT),
  /**
   * Where the job queue (notification emails, the daily reminders) runs: `in-api`, in one process of the
   * API (main.ts says which); `separate`, only in `pnpm worker`'s process (the compose file's `worker`).
   */
  WORKER: z.enum(['in-api', 'separate']).default('in-api'),
  ...emailEnv,
  /** The built web app served at `/`. */
  WEB_DIST: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
});

export type ApiEnv = z.infer<typeof envSchema>;

/** The variables readApiEnv reads. */
export const API_ENV_KEYS = Object.keys(envSchema.shape);

export function readApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  return parseEnv(envSchema, source);
}
