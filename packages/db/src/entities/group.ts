import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Activity } from './activity.ts';
import { Student } from './student.ts';
import { timestamps } from './common.ts';
import { GROUP_ROLES } from '@mergington/contract';

export const Group = defineEntity({
  name: 'Group',
  tableName: 'activity_group',
  properties: {
    id: p.integer().primary(),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    name: p.string().length(120),
    leader: () => p.manyToOne(Student).nullable().deleteRule('set null').index(),
    ...timestamps,
  },
  uniques: [{ name: 'activity_group_name_once', properties: ['activity', 'name'] }],
});

export type Group = InferEntity<typeof Group>;

/**
 * activity repeats the group's activity so that "one group per student and activity" is a plain unique
 * index; a trigger added by the migration refuses a row whose activity is not its group's.
 */
export const GroupMember = defineEntity({
  name: 'GroupMember',
  properties: {
    id: p.integer().primary(),
    group: () => p.manyToOne(Group).deleteRule('cascade'),
    activity: () => p.manyToOne(Activity).deleteRule('cascade'),
    student: () => p.manyToOne(Student).deleteRule('cascade').index(),
    role: p.enum([...GROUP_ROLES]).default('member'),
    joinedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
  uniques: [
    { name: 'group_member_once', properties: ['group', 'student'] },
    { name: 'group_member_one_group_per_activity', properties: ['activity', 'student'] },
  ],
});

export type GroupMember = InferEntity<typeof GroupMember>;
