// The settings of notification emails and of the queue that sends them (read with the API's env).
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().min(1).max(86_400).default(fallback);

export const emailEnv = {
  /** `smtp://user:pass@host:587` or `smtps://...`; unset: email is off (said at start), in-app stays. */
  SMTP_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^smtps?$/ }).optional(),
  ),
  /** The From of every email. */
  MAIL_FROM: z.string().min(3).default('Mergington High School <no-reply@mergington.edu>'),
  /** Named in every email. */
  SCHOOL_NAME: z.string().min(1).default('Mergington High School'),
  /** Where the web app is reached from outside: emails link to it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  /** Retries of an email that failed, waiting EMAIL_RETRY_DELAY_SECONDS × 2^n (with jitter) before each. */
  EMAIL_RETRY_LIMIT: z.coerce.number().int().min(0).max(30).default(10),
  EMAIL_RETRY_DELAY_SECONDS: seconds(30),
  /** A send that has not finished by then (its worker died) is retried. */
  EMAIL_TIMEOUT_SECONDS: seconds(120),
};

export interface EmailSettings {
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
  SCHOOL_NAME: string;
  PUBLIC_URL: string;
  EMAIL_RETRY_LIMIT: number;
  EMAIL_RETRY_DELAY_SECONDS: number;
  EMAIL_TIMEOUT_SECONDS: number;
}
