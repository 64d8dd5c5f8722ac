import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import argon2 from 'argon2';

export { legacyPbkdf2Hash, legacySha256Hash } from './legacy-hashes.ts';

/** OWASP's argon2id parameters (Password Storage Cheat Sheet): 19 MiB, 2 iterations, 1 lane. */
const ARGON2ID = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2ID);
}

export interface PasswordCheck {
  valid: boolean;
  /** The hash is in an old or weaker format: store a fresh hashPassword() now that the password is known. */
  needsRehash: boolean;
}

/**
 * Checks a password against what is stored, in any format this system has held:
 * - argon2 strings (`$argon2id$...`, also the old app's);
 * - `pbkdf2-sha256$<iterations>$<salt>$<hex hash>`, the old app's PBKDF2 entries as the importer stores them;
 * - `sha256$<hex>`, the old app's unsalted SHA-256 hashes (users.json).
 * A null hash (a student who never set a password) matches nothing.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<PasswordCheck> {
  if (!stored) {
    await argon2.verify(DUMMY_HASH, password); // the same time as a real check: no account enumeration
    return { valid: false, needsRehash: false };
  }
  if (stored.startsWith('$argon2')) {
    const valid = await argon2.verify(stored, password).catch(() => false);
    return { valid, needsRehash: valid && weakerThanOurs(stored) };
  }
  const pbkdf2Parts = /^pbkdf2-sha256\$(\d+)\$([^$]*)\$([0-9a-f]+)$/i.exec(stored);
  if (pbkdf2Parts) {
    const [, iterations, salt, hex] = pbkdf2Parts as unknown as [string, string, string, string];
    const expected = Buffer.from(hex, 'hex');
    const actual = await promisify(pbkdf2)(password, salt, Number(iterations), expected.length, 'sha256');
    return { valid: timingSafeEqual(actual, expected), needsRehash: true };
  }
  const sha256Parts = /^sha256\$([0-9a-f]{64})$/i.exec(stored);
  if (sha256Parts) {
    const actual = createHash('sha256').update(password).digest();
    return { valid: timingSafeEqual(actual, Buffer.from(sha256Parts[1]!, 'hex')), needsRehash: true };
  }
  return { valid: false, needsRehash: false };
}

/** An argon2id hash is kept when it is at least as strong as ours, else replaced at the next login. */
function weakerThanOurs(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  const param = (name: string) => Number(new RegExp(`[$,]${name}=(\\d+)`).exec(hash)?.[1] ?? 0);
  return param('m') < ARGON2ID.memoryCost || param('t') < ARGON2ID.timeCost;
}

// A hash of a random password, for checks against accounts that have none.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$bWVyZ2luZ3Rvbi1kdW1teQ$Lh5sZ3jtUmbV0nrKvn4Rbb7Gy2H1lQGGxS6H6i/7F1g';
