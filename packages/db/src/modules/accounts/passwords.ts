import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import argon2 from 'argon2';
import { parsePasswordHash } from '@mergington/contract';
import { WorkLimit } from '../../work-limit.ts';

/** OWASP's argon2id parameters (Password Storage Cheat Sheet): 19 MiB, 2 iterations, 1 lane. */
const ARGON2ID = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing costs about 50 ms of a core and 19 MiB each: two at a time per process (the machines
 * have two cores), 32 more waiting (well under a second), and beyond that TOO_MANY_REQUESTS at once.
 */
const PASSWORD_WORK = { concurrency: 2, queueLength: 32 } as const;
const passwordWork = new WorkLimit(PASSWORD_WORK.concurrency, PASSWORD_WORK.queueLength);

export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => argon2.hash(password, ARGON2ID));
}

export interface PasswordCheck {
  valid: boolean;
  /** The hash is in an old format or at other costs: store a fresh hashPassword() now that it is known. */
  needsRehash: boolean;
}

/**
 * Checks a password against what is stored, in any format this system has held (the contract's password-hashes.ts):
 * argon2 strings (also the old app's), the old app's PBKDF2 entries and its unsalted SHA-256 hashes.
 * A null hash (a student who never set a password), or one that is not well-formed, matches nothing.
 *
 * Every check costs at least one argon2 verification at our parameters, whatever is stored and whether
 * the account exists, so that timing does not tell which names exist or which hold an old format; every
 * hash is brought to our parameters at its owner's next login.
 */
export function verifyPassword(stored: string | null, password: string): Promise<PasswordCheck> {
  const parsed = stored === null ? null : parsePasswordHash(stored);
  return passwordWork.run(async () => {
    if (parsed === null || 'problem' in parsed) {
      await argon2.verify(await dummyHash(), password);
      return { valid: false, needsRehash: false };
    }
    if (parsed.format === 'argon2') {
      const valid = await argon2.verify(stored!, password).catch(() => false);
      const ours =
        stored!.startsWith('$argon2id$') &&
        parsed.memoryKiB === ARGON2ID.memoryCost &&
        parsed.time === ARGON2ID.timeCost &&
        parsed.parallelism === ARGON2ID.parallelism;
      return { valid, needsRehash: valid && !ours };
    }
    await argon2.verify(await dummyHash(), password); // the old formats are cheaper: pay our cost too
    const actual =
      parsed.format === 'pbkdf2-sha256'
        ? await promisify(pbkdf2)(password, parsed.salt, parsed.iterations, 32, 'sha256')
        : createHash('sha256').update(password).digest();
    return { valid: sameBytes(actual, Buffer.from(parsed.hexDigest, 'hex')), needsRehash: true };
  });
}

/** Constant time, and only ever between buffers of one length (a shorter one would compare a prefix). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// A hash of a random password at our parameters, made once per process, for checks that have no hash.
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= argon2.hash(randomBytes(16).toString('hex'), ARGON2ID);
  return dummy;
}
