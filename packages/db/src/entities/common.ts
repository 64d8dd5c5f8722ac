import { p } from '@mikro-orm/core';

/** Creation and last-change times, kept by the ORM and defaulted by the database for raw inserts. */
export const timestamps = {
  createdAt: p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date()),
  updatedAt: p
    .datetime()
    .defaultRaw('now()')
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};

/** Emails and usernames are stored trimmed and lower-cased, so a plain unique index is case-insensitive. */
export const isNormalized = (column: string) => `${column} = lower(btrim(${column}))`;
