import type { EntityManager } from '@mikro-orm/postgresql';
import { Group, GroupMember } from '../../entities/index.ts';
import { ConflictError, NotAllowedError, NotFoundError, RuleViolationError } from '../../errors.ts';
import { type GroupDto, type Page, type Principal } from '@mergington/contract';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql } from '../../sql.ts';

interface GroupRow {
  id: number;
  activity_id: number;
  activity_name: string;
  name: string;
  leader_id: number | null;
  leader_name: string | null;
  min_group_size: number | null;
}

const GROUP_COLUMNS = sql`g.id, g.activity_id, a.name as activity_name, g.name, g.leader_id, l.name as leader_name,
         a.min_group_size`;
const GROUP_FROM = sql`from activity_group g join activity a on a.id = g.activity_id
    left join student l on l.id = g.leader_id`;

async function withMembers(em: EntityManager, rows: GroupRow[]): Promise<GroupDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const members = await query<{
    group_id: number;
    student_id: number;
    name: string;
    role: 'leader' | 'member';
  }>(
    em,
    sql`select m.group_id, m.student_id, s.name, m.role from group_member m join student s on s.id = m.student_id
         where m.group_id in (${ids}) order by m.role, m.joined_at, m.id`,
  );
  return rows.map((row) => {
    const own = members.filter((member) => member.group_id === row.id);
    return {
      id: row.id,
      activity: { id: row.activity_id, name: row.activity_name },
      name: row.name,
      leader: row.leader_id === null ? null : { id: row.leader_id, name: row.leader_name! },
      members: own.map((member) => ({ studentId: member.student_id, name: member.name, role: member.role })),
      size: own.length,
      meetsMinimum: own.length >= (row.min_group_size ?? 0),
    };
  });
}

export async function getGroup(em: EntityManager, id: number): Promise<GroupDto> {
  const rows = await query<GroupRow>(em, sql`select ${GROUP_COLUMNS} ${GROUP_FROM} where g.id = ${id}`);
  if (rows.length === 0) throw new NotFoundError('group', id);
  return (await withMembers(em, rows))[0]!;
}

export async function listGroups(
  em: EntityManager,
  input: { page: number; pageSize: number; activityId: number },
): Promise<Page<GroupDto>> {
  const rows = await query<GroupRow & { total: string }>(
    em,
    sql`select ${TOTAL_COLUMN}, ${GROUP_COLUMNS} ${GROUP_FROM}
         where g.activity_id = ${input.activityId} order by g.name ${pageClause(input)}`,
  );
  return toPage(await withMembers(em, rows), rows[0]?.total, input);
}

/** The group, locked: changes to one group are serialised, so its size limit holds. */
async function lockGroup(em: EntityManager, groupId: number) {
  const [group] = await em.execute<
    {
      id: number;
      activity_id: number;
      leader_id: number | null;
      max_group_size: number | null;
    }[]
  >(
    `select g.id, g.activity_id, g.leader_id, a.max_group_size
       from activity_group g join activity a on a.id = g.activity_id
      where g.id = ? for update of g`,
    [groupId],
  );
  if (!group) throw new NotFoundError('group', groupId);
  // Counted after the lock is held, in a statement of its own: it sees the joins committed before ours.
  const [{ size }] = (await em.execute<{ size: number }[]>(
    `select count(*)::int as size from group_member where group_id = ?`,
    [groupId],
  )) as [{ size: number }];
  return { ...group, size };
}

async function requireEnrolled(em: EntityManager, studentId: number, activityId: number): Promise<void> {
  const [row] = await em.execute(
    `select 1 from activity_participant where activity_id = ? and student_id = ? and status = 'enrolled'`,
    [activityId, studentId],
  );
  if (!row) throw new RuleViolationError('only students enrolled in the activity can be in its groups');
}

async function refuseSecondGroup(em: EntityManager, studentId: number, activityId: number): Promise<void> {
  const [row] = await em.execute<{ name: string }[]>(
    `select g.name from group_member m join activity_group g on g.id = m.group_id where m.activity_id = ? and m.student_id = ?`,
    [activityId, studentId],
  );
  if (row) throw new ConflictError(`already in the group ${row.name} of this activity`, 'groupId');
}

/** An enrolled student forms a group and leads it. */
export async function createGroup(
  em: EntityManager,
  studentId: number,
  input: { activityId: number; name: string },
): Promise<GroupDto> {
  const id = await em.transactional(async (tx) => {
    await requireEnrolled(tx, studentId, input.activityId);
    await refuseSecondGroup(tx, studentId, input.activityId);
    if (await tx.count(Group, { activity: input.activityId, name: input.name })) {
      throw new ConflictError(`this activity already has a group named ${input.name}`, 'name');
    }
    const group = tx.create(Group, { activity: input.activityId, name: input.name, leader: studentId });
    await tx.flush();
    tx.create(GroupMember, {
      group: group.id,
      activity: input.activityId,
      student: studentId,
      role: 'leader',
    });
    await tx.flush();
    return group.id;
  });
  return getGroup(em, id);
}

export async function joinGroup(em: EntityManager, studentId: number, groupId: number): Promise<GroupDto> {
  await em.transactional(async (tx) => {
    const group = await lockGroup(tx, groupId);
    await requireEnrolled(tx, studentId, group.activity_id);
    await refuseSecondGroup(tx, studentId, group.activity_id);
    if (group.max_group_size !== null && group.size >= group.max_group_size) {
      throw new ConflictError(`the group is full (${group.max_group_size} members at most)`, 'groupId');
    }
    tx.create(GroupMember, {
      group: groupId,
      activity: group.activity_id,
      student: studentId,
      role: 'member',
    });
    await tx.flush();
  });
  return getGroup(em, groupId);
}

/**
 * A student leaves a group. A leaving leader hands over to the longest-standing member; the last one out
 * closes the group.
 */
export async function leaveGroup(
  em: EntityManager,
  studentId: number,
  groupId: number,
): Promise<{ groupClosed: boolean }> {
  return em.transactional(async (tx) => {
    const group = await lockGroup(tx, groupId);
    if (!(await tx.nativeDelete(GroupMember, { group: groupId, student: studentId }))) {
      throw new NotFoundError(`member ${studentId} of group`, groupId);
    }
    if (group.leader_id !== studentId) return { groupClosed: false };
    const [next] = await tx.execute<{ student_id: number }[]>(
      `select student_id from group_member where group_id = ? order by joined_at, id limit 1`,
      [groupId],
    );
    if (!next) {
      await tx.nativeDelete(Group, { id: groupId });
      return { groupClosed: true };
    }
    await setLeader(tx, groupId, next.student_id);
    return { groupClosed: false };
  });
}

/** Leaves every group of an activity (a student who withdrew from it). */
export async function leaveGroupsOfActivity(
  em: EntityManager,
  studentId: number,
  activityId: number,
): Promise<void> {
  const memberships = await em.execute<{ group_id: number }[]>(
    `select group_id from group_member where activity_id = ? and student_id = ?`,
    [activityId, studentId],
  );
  for (const { group_id } of memberships) await leaveGroup(em, studentId, group_id);
}

async function setLeader(em: EntityManager, groupId: number, studentId: number): Promise<void> {
  await em.execute(
    `update group_member set role = case when student_id = ? then 'leader' else 'member' end where group_id = ?`,
    [studentId, groupId],
  );
  await em.execute(`update activity_group set leader_id = ?, updated_at = now() where id = ?`, [
    studentId,
    groupId,
  ]);
}

/**
 * Changes a group as its leader or a teacher (anyone else: NotAllowedError), under the group's lock, and
 * returns the group as it then is.
 */
async function manageGroup(
  em: EntityManager,
  actor: Principal,
  groupId: number,
  change: (tx: EntityManager, group: { leader_id: number | null }) => Promise<void>,
): Promise<GroupDto> {
  await em.transactional(async (tx) => {
    const group = await lockGroup(tx, groupId);
    if (actor.kind !== 'teacher' && group.leader_id !== actor.id) {
      throw new NotAllowedError('only the group’s leader or a teacher may do this');
    }
    await change(tx, group);
  });
  return getGroup(em, groupId);
}

export const transferLeadership = (em: EntityManager, actor: Principal, groupId: number, studentId: number) =>
  manageGroup(em, actor, groupId, async (tx) => {
    if (!(await tx.count(GroupMember, { group: groupId, student: studentId }))) {
      throw new NotFoundError(`member ${studentId} of group`, groupId);
    }
    await setLeader(tx, groupId, studentId);
  });

export const removeMember = (em: EntityManager, actor: Principal, groupId: number, studentId: number) =>
  manageGroup(em, actor, groupId, async (tx, group) => {
    if (group.leader_id === studentId) {
      throw new RuleViolationError('the leader cannot be removed: hand leadership over first, or leave');
    }
    if (!(await tx.nativeDelete(GroupMember, { group: groupId, student: studentId }))) {
      throw new NotFoundError(`member ${studentId} of group`, groupId);
    }
  });

export const renameGroup = (em: EntityManager, actor: Principal, groupId: number, name: string) =>
  manageGroup(em, actor, groupId, async (tx) => {
    await tx.execute(`update activity_group set name = ?, updated_at = now() where id = ?`, [name, groupId]);
  });

export async function deleteGroup(em: EntityManager, groupId: number): Promise<void> {
  if (!(await em.nativeDelete(Group, { id: groupId }))) throw new NotFoundError('group', groupId);
}
