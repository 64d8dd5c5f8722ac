import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Event } from './event.ts';
import { Group } from './group.ts';
import { Student } from './student.ts';

/** Who won which place of an event: a student or a group, one winner per place and one place per winner. */
export const EventResult = defineEntity({
  name: 'EventResult',
  properties: {
    id: p.integer().primary(),
    event: () => p.manyToOne(Event).deleteRule('cascade'),
    place: p.smallint(),
    student: () => p.manyToOne(Student).nullable().deleteRule('cascade').index(),
    group: () => p.manyToOne(Group).nullable().deleteRule('cascade').index(),
  },
  uniques: [
    { name: 'event_result_place_once', properties: ['event', 'place'] },
    // A null student (a group's result) or group (a student's) is distinct from every other: no clash.
    { name: 'event_result_student_once', properties: ['event', 'student'] },
    { name: 'event_result_group_once', properties: ['event', 'group'] },
  ],
  checks: [
    { name: 'event_result_place_positive', expression: 'place >= 1' },
    { name: 'event_result_student_or_group', expression: '(student_id is null) <> (group_id is null)' },
  ],
});

export type EventResult = InferEntity<typeof EventResult>;
