import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Student } from './student.ts';
import { timestamps } from './common.ts';

export const Committee = defineEntity({
  name: 'Committee',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(120).unique(),
    description: p.text().default(''),
    ...timestamps,
  },
});

export type Committee = InferEntity<typeof Committee>;

/**
 * A student holding a named position of a committee for a term. A term runs from term_start up to, not
 * including, term_end (null: open-ended). One position has one holder at a time: an exclusion constraint
 * refuses overlapping terms of the same committee and position name.
 */
export const Position = defineEntity({
  name: 'Position',
  properties: {
    id: p.integer().primary(),
    committee: () => p.manyToOne(Committee).deleteRule('cascade').index(),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    positionName: p.string().length(120),
    termStart: p.date(),
    termEnd: p.date().nullable(),
    ...timestamps,
  },
  indexes: [
    {
      name: 'position_one_holder_at_a_time',
      // Needs the btree_gist extension, created by the initial migration.
      expression:
        'alter table "position" add constraint "position_one_holder_at_a_time" exclude using gist ' +
        '("committee_id" with =, lower("position_name") with =, daterange("term_start", "term_end") with &&)',
    },
  ],
  checks: [{ name: 'position_term_ends_after_start', expression: 'term_end > term_start' }],
});

export type Position = InferEntity<typeof Position>;
