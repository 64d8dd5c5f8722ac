import { createHash, pbkdf2Sync } from 'node:crypto';
import argon2 from 'argon2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  importTeacherSchema,
  legacyPbkdf2Hash,
  legacySha256Hash,
  parsePasswordHash,
} from '@mergington/contract';
import { hashPassword, verifyPassword } from './passwords.ts';

// The old app's argon2 hash of 'admin789' (m=64 MiB, t=3, p=4).
const OLD_ARGON2 =
  '$argon2id$v=19$m=65536,t=3,p=4$g4CQ9mYOExUxmE4g2dzdLQ$nBf26P+nH8K6dFpVHK38o6e8wTcdcnwfhJkG82AEMNI';

const costs = (hash: string) =>
  ['m', 't', 'p'].map((name) => new RegExp(`[$,]${name}=(\\d+)`).exec(hash)?.[1]);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('legacy hashes are checked where they enter', () => {
  const malformed = [
    'pbkdf2-sha256$1$s$f', // an odd digit: decoded to zero bytes, it matched any password
    'pbkdf2-sha256$1000$salt$', // no digest
    `pbkdf2-sha256$1000$salt$${'ab'.repeat(16)}`, // 16 bytes, not 32
    `pbkdf2-sha256$0$salt$${'ab'.repeat(32)}`, // 0 iterations: a 500 at login
    `pbkdf2-sha256$999999999$salt$${'ab'.repeat(32)}`, // a login attempt costing minutes
    `pbkdf2-sha256$1000$$${'ab'.repeat(32)}`, // no salt
    'sha256$abcd',
    '$argon2id$v=19$m=4194304,t=3,p=4$g4CQ9mYOExUxmE4g2dzdLQ$nBf26P+nH8K6dFpVHK38o6e8wTcdcnwfhJkG82AEMNI',
  ];

  it.each(malformed)('refuses %s in the canonical import format, with a field error', (passwordHash) => {
    const parsed = importTeacherSchema.safeParse({
      username: 'mallory',
      email: 'mallory@mergington.edu',
      name: 'Mallory',
      role: 'admin',
      passwordHash,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['passwordHash']);
  });

  it.each(malformed)('never lets a password in against %s, and never throws', async (stored) => {
    for (const password of ['', 'anything', 'x'.repeat(200)]) {
      expect(await verifyPassword(stored, password)).toEqual({ valid: false, needsRehash: false });
    }
  });

  it('takes well-formed ones', () => {
    const pbkdf2 = legacyPbkdf2Hash({
      salt: 'abc',
      iterations: 1000,
      passwordHash: pbkdf2Sync('pw', 'abc', 1000, 32, 'sha256').toString('hex'),
    });
    const sha = legacySha256Hash(createHash('sha256').update('pw').digest('hex'));
    for (const hash of [pbkdf2, sha, OLD_ARGON2])
      expect(parsePasswordHash(hash)).not.toHaveProperty('problem');
  });
});

describe('a check costs the same whether the account exists', () => {
  it('checks a missing hash against a dummy with the parameters new hashes get', async () => {
    const verify = vi.spyOn(argon2, 'verify');
    await verifyPassword(null, 'guess');
    const dummy = verify.mock.calls[0]![0];
    expect(costs(dummy)).toEqual(costs(await hashPassword('anything')));
  });

  it('pays an argon2 check at our parameters for the cheaper old formats too', async () => {
    const verify = vi.spyOn(argon2, 'verify');
    const stored = legacySha256Hash(createHash('sha256').update('pw').digest('hex'));
    expect(await verifyPassword(stored, 'pw')).toEqual({ valid: true, needsRehash: true });
    expect(costs(verify.mock.calls[0]![0])).toEqual(costs(await hashPassword('x')));
  });

  it('asks for the old app’s stronger argon2 hashes to be replaced, so that every hash ends at our parameters', async () => {
    expect(await verifyPassword(OLD_ARGON2, 'admin789')).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword(await hashPassword('pw'), 'pw')).toEqual({ valid: true, needsRehash: false });
  });
});
