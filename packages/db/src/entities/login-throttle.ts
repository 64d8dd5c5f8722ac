import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Login attempt counters, in the database so that every API replica sees the same counts. One row per
 * counter (login-throttle.ts): an account from one client address, one address, one account. An account
 * is its id when it exists, else the name as typed (normalised), so a missing one behaves the same.
 */
export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  properties: {
    key: p.string().length(400).primary(),
    /** Attempts counted and not (yet) known to have succeeded. */
    failures: p.integer().default(0),
    windowStartedAt: p.datetime().defaultRaw('now()'),
    lockedUntil: p.datetime().nullable(),
    /** On an account-from-address counter: when that address last signed in to that account. */
    lastSuccessAt: p.datetime().nullable(),
  },
});

export type LoginThrottle = InferEntity<typeof LoginThrottle>;
