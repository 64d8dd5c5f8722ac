import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Activity } from './activity.ts';
import { Student } from './student.ts';
import { timestamps } from './common.ts';

export const Feedback = defineEntity({
  name: 'Feedback',
  properties: {
    id: p.integer().primary(),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    rating: p.smallint(),
    review: p.text().default(''),
    /** Hidden by a teacher (an abusive review): kept, but neither shown nor counted publicly. */
    hidden: p.boolean().default(false),
    ...timestamps,
  },
  uniques: [{ name: 'feedback_once_per_activity', properties: ['activity', 'student'] }],
  checks: [{ name: 'feedback_rating_range', expression: 'rating >= 1 and rating <= 5' }],
});

export type Feedback = InferEntity<typeof Feedback>;
