import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Student } from './student.ts';

/**
 * A student's personal calendar feed: at most one, at a secret URL. Only the SHA-256 of its token is
 * stored (as for sessions), so a database leak yields no feed URL; regenerating replaces the row.
 */
export const CalendarFeed = defineEntity({
  name: 'CalendarFeed',
  properties: {
    student: () => p.manyToOne(Student).primary().deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});

export type CalendarFeed = InferEntity<typeof CalendarFeed>;
