import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Failed logins per account name, in the database so that every API replica sees the same count. The key
 * is the login as typed (normalised), whether or not such an account exists.
 */
export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  properties: {
    key: p.string().length(300).primary(),
    failures: p.integer().default(0),
    windowStartedAt: p.datetime().defaultRaw('now()'),
    lockedUntil: p.datetime().nullable(),
  },
});

export type LoginThrottle = InferEntity<typeof LoginThrottle>;
