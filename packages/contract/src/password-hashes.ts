// The password hash formats this system stores, the old app's among them: how they are written, and the one
// check of each that every way in (the import format, the legacy reader, verifyPassword) applies. No
// hashing here: the importer uses these too.
import { textSchema } from './schemas/common.ts';

/**
 * PBKDF2 iteration counts accepted. The old app used 1,000; the top covers today's advice (OWASP 600,000,
 * Django 1,200,000) while keeping one check under a second, since every login attempt pays it.
 */
const PBKDF2_ITERATIONS = { min: 1_000, max: 2_000_000 } as const;

/**
 * argon2 costs accepted: the old app's hashes are m=64 MiB, t=3, p=4; beyond these bounds one login
 * attempt could take the server's memory or a core for seconds.
 */
const ARGON2_LIMITS = { maxMemoryKiB: 262_144, maxTime: 10, maxParallelism: 8 } as const;

export type ParsedPasswordHash =
  | { format: 'argon2'; memoryKiB: number; time: number; parallelism: number }
  | { format: 'pbkdf2-sha256'; iterations: number; salt: string; hexDigest: string }
  | { format: 'sha256'; hexDigest: string };

// The costs m, t and p in any order: the argon2 package writes m, p, t; the old app wrote m, t, p.
const ARGON2 =
  /^\$argon2(?:id|i|d)\$v=(?:16|19)\$([mtp]=\d{1,7}(?:,[mtp]=\d{1,7}){2})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;
// SHA-256 digests are 32 bytes: 64 hex digits, no fewer (an empty digest used to match any password).
const PBKDF2 = /^pbkdf2-sha256\$(\d{1,9})\$([^$\s]{1,200})\$([0-9a-f]{64})$/i;
const SHA256 = /^sha256\$([0-9a-f]{64})$/i;

/** A stored hash taken apart, or a message saying why it is not one this system can check. */
export function parsePasswordHash(stored: string): ParsedPasswordHash | { problem: string } {
  const argon2 = ARGON2.exec(stored);
  if (argon2) {
    const cost = Object.fromEntries(argon2[1]!.split(',').map((pair) => pair.split('=')));
    const [memoryKiB, time, parallelism] = [cost.m, cost.t, cost.p].map(Number) as [number, number, number];
    if (
      Number.isNaN(memoryKiB + time + parallelism) ||
      memoryKiB > ARGON2_LIMITS.maxMemoryKiB ||
      time < 1 ||
      time > ARGON2_LIMITS.maxTime ||
      parallelism < 1 ||
      parallelism > ARGON2_LIMITS.maxParallelism ||
      memoryKiB < 8 * parallelism
    ) {
      return {
        problem: `argon2 costs out of range (m ≤ ${ARGON2_LIMITS.maxMemoryKiB}, t 1-${ARGON2_LIMITS.maxTime}, p 1-${ARGON2_LIMITS.maxParallelism})`,
      };
    }
    return { format: 'argon2', memoryKiB, time, parallelism };
  }
  const pbkdf2 = PBKDF2.exec(stored);
  if (pbkdf2) {
    const iterations = Number(pbkdf2[1]);
    if (iterations < PBKDF2_ITERATIONS.min || iterations > PBKDF2_ITERATIONS.max) {
      return {
        problem: `PBKDF2 iterations must be ${PBKDF2_ITERATIONS.min}-${PBKDF2_ITERATIONS.max}, not ${iterations}`,
      };
    }
    return { format: 'pbkdf2-sha256', iterations, salt: pbkdf2[2]!, hexDigest: pbkdf2[3]! };
  }
  const sha256 = SHA256.exec(stored);
  if (sha256) return { format: 'sha256', hexDigest: sha256[1]! };
  return {
    problem:
      'expected an argon2 string, pbkdf2-sha256$<iterations>$<salt>$<64 hex digits> or sha256$<64 hex digits>',
  };
}

/** A stored hash in the import format: checked as it enters (a malformed one once let any password in). */
export const passwordHashSchema = textSchema
  .min(1)
  .max(500)
  .superRefine((hash, context) => {
    const parsed = parsePasswordHash(hash);
    if ('problem' in parsed) context.addIssue({ code: 'custom', message: parsed.problem });
  });

/** The stored form of the old app's PBKDF2 entries ({salt, iterations, password_hash}). */
export function legacyPbkdf2Hash(entry: { salt: string; iterations: number; passwordHash: string }): string {
  return `pbkdf2-sha256$${entry.iterations}$${entry.salt}$${entry.passwordHash.toLowerCase()}`;
}

/** The stored form of the old app's unsalted SHA-256 hex hashes. */
export function legacySha256Hash(hex: string): string {
  return `sha256$${hex.toLowerCase()}`;
}
