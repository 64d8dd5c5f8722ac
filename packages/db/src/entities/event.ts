import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Activity } from './activity.ts';
import { Teacher } from './teacher.ts';
import { timestamps } from './common.ts';

/** One prize of an event, in the order they are awarded; amount in cents when there is money. */
export interface Prize {
  place: number;
  description: string;
  amountCents?: number;
}

export const Event = defineEntity({
  name: 'Event',
  properties: {
    id: p.integer().primary(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    name: p.string().length(200),
    date: p.datetime(),
    venue: p.string().length(200).default(''),
    description: p.text().default(''),
    prizes: p.json<Prize[]>().default('[]'),
    ...timestamps,
  },
  indexes: [
    { name: 'event_activity_date', properties: ['activity', 'date'] },
    { name: 'event_date', properties: ['date'] },
  ],
  checks: [{ name: 'event_prizes_is_array', expression: "jsonb_typeof(prizes) = 'array'" }],
});

export type Event = InferEntity<typeof Event>;

/** A judge of an event: one of our teachers, or an outside person named in full. */
export const EventJudge = defineEntity({
  name: 'EventJudge',
  properties: {
    id: p.integer().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    teacher: () => p.manyToOne(Teacher).nullable().deleteRule('cascade').index(),
    name: p.string().length(200).nullable(),
  },
  uniques: [{ name: 'event_judge_teacher_once', properties: ['event', 'teacher'] }],
  checks: [{ name: 'event_judge_teacher_or_name', expression: '(teacher_id is null) <> (name is null)' }],
});

export type EventJudge = InferEntity<typeof EventJudge>;
