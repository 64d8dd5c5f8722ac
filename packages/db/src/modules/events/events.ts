import type { EntityManager } from '@mikro-orm/postgresql';
import { Activity, Event, EventJudge, EventResult, Teacher } from '../../entities/index.ts';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import {
  ordinal,
  type EventCreateInput,
  type EventDto,
  type EventResultsInput,
  type EventUpdateInput,
  type Page,
} from '@mergington/contract';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql, whereAll } from '../../sql.ts';
import { activityMembers, notify } from '../notifications/notifications.ts';

interface EventRow {
  id: number;
  activity_id: number;
  activity_name: string;
  name: string;
  date: Date;
  venue: string;
  description: string;
  prizes: EventDto['prizes'];
  past: boolean;
}

const EVENT_COLUMNS = sql`e.id, e.activity_id, a.name as activity_name, e.name, e.date, e.venue, e.description,
         e.prizes, e.date < now() as past`;
const EVENT_FROM = sql`from event e join activity a on a.id = e.activity_id`;

/** Events with their judges and results, in the order given. */
async function withDetails(em: EntityManager, rows: EventRow[]): Promise<EventDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const judges = await query<{ event_id: number; teacher_id: number | null; name: string }>(
    em,
    sql`select j.event_id, j.teacher_id, coalesce(t.name, j.name) as name
          from event_judge j left join teacher t on t.id = j.teacher_id
         where j.event_id in (${ids}) order by j.id`,
  );
  const results = await query<{
    event_id: number;
    place: number;
    student_id: number | null;
    group_id: number | null;
    winner: string;
  }>(
    em,
    sql`select r.event_id, r.place, r.student_id, r.group_id, coalesce(s.name, g.name) as winner
          from event_result r left join student s on s.id = r.student_id
          left join activity_group g on g.id = r.group_id
         where r.event_id in (${ids}) order by r.place`,
  );
  return rows.map((row) => ({
    id: row.id,
    activity: { id: row.activity_id, name: row.activity_name },
    name: row.name,
    date: new Date(row.date),
    venue: row.venue,
    description: row.description,
    prizes: row.prizes,
    judges: judges
      .filter((j) => j.event_id === row.id)
      .map((j) => ({ teacherId: j.teacher_id, name: j.name })),
    results: results
      .filter((r) => r.event_id === row.id)
      .map((r) => ({ place: r.place, studentId: r.student_id, groupId: r.group_id, winner: r.winner })),
    past: row.past,
  }));
}

export async function getEvent(em: EntityManager, id: number): Promise<EventDto> {
  const rows = await query<EventRow>(em, sql`select ${EVENT_COLUMNS} ${EVENT_FROM} where e.id = ${id}`);
  if (rows.length === 0) throw new NotFoundError('event', id);
  return (await withDetails(em, rows))[0]!;
}

/** Events, upcoming first (soonest first), then past ones (latest first), which stay readable. */
export async function listEvents(
  em: EntityManager,
  input: { page: number; pageSize: number; activityId?: number; when: 'upcoming' | 'past' | 'all' },
): Promise<Page<EventDto>> {
  const conditions: Sql[] = [];
  if (input.activityId !== undefined) conditions.push(sql`e.activity_id = ${input.activityId}`);
  if (input.when === 'upcoming') conditions.push(sql`e.date >= now()`);
  if (input.when === 'past') conditions.push(sql`e.date < now()`);
  const rows = await query<EventRow & { total: string }>(
    em,
    sql`select ${TOTAL_COLUMN}, ${EVENT_COLUMNS} ${EVENT_FROM} ${whereAll(conditions)}
         order by e.date < now(), case when e.date >= now() then e.date end, e.date desc, e.id
         ${pageClause(input)}`,
  );
  return toPage(await withDetails(em, rows), rows[0]?.total, input);
}

async function setJudges(
  em: EntityManager,
  eventId: number,
  judges: EventCreateInput['judges'],
): Promise<void> {
  const teacherIds = judges.flatMap((judge) => ('teacherId' in judge ? [judge.teacherId] : []));
  if (teacherIds.length) {
    const found = await em.count(Teacher, { id: { $in: teacherIds } });
    if (found !== new Set(teacherIds).size)
      throw new NotFoundError('teacher among the judges', teacherIds.join(', '));
  }
  await em.nativeDelete(EventJudge, { event: eventId });
  for (const judge of judges) {
    em.create(
      EventJudge,
      'teacherId' in judge
        ? { event: eventId, teacher: judge.teacherId }
        : { event: eventId, name: judge.name },
    );
  }
  await em.flush();
}

export async function createEvent(em: EntityManager, input: EventCreateInput): Promise<EventDto> {
  const id = await em.transactional(async (tx) => {
    if (!(await tx.count(Activity, { id: input.activityId })))
      throw new NotFoundError('activity', input.activityId);
    const { activityId, judges, ...fields } = input;
    const event = tx.create(Event, { ...fields, activity: activityId });
    await tx.flush();
    await setJudges(tx, event.id, judges);
    return event.id;
  });
  return getEvent(em, id);
}

export async function updateEvent(em: EntityManager, input: EventUpdateInput): Promise<EventDto> {
  await em.transactional(async (tx) => {
    const event = await tx.findOne(Event, input.id);
    if (!event) throw new NotFoundError('event', input.id);
    const { id: _id, judges, ...fields } = input;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.assign(event, { [key]: value });
    }
    await tx.flush();
    if (judges) await setJudges(tx, event.id, judges);
  });
  return getEvent(em, input.id);
}

export async function deleteEvent(em: EntityManager, id: number): Promise<void> {
  if (!(await em.nativeDelete(Event, { id }))) throw new NotFoundError('event', id);
}

/**
 * Records who won which place, replacing what was recorded before. Winners are students enrolled in the
 * event's activity, or groups of that activity, each winning one place at most (unique indexes say so too).
 */
export async function recordResults(em: EntityManager, input: EventResultsInput): Promise<EventDto> {
  await em.transactional(async (tx) => {
    const event = await tx.findOne(Event, input.eventId);
    if (!event) throw new NotFoundError('event', input.eventId);
    const activityId = event.activity.id;
    const winners = new Map<string, { name: string; places: number[] }>();
    for (const result of input.results) {
      const [winner] =
        'studentId' in result
          ? await query<{ name: string }>(
              tx,
              sql`select s.name from activity_participant p join student s on s.id = p.student_id
                   where p.activity_id = ${activityId} and p.student_id = ${result.studentId} and p.status = 'enrolled'`,
            )
          : await query<{ name: string }>(
              tx,
              sql`select 'the group ' || name as name from activity_group
                   where activity_id = ${activityId} and id = ${result.groupId}`,
            );
      if (!winner) {
        throw new RuleViolationError(
          'studentId' in result
            ? `student ${result.studentId} is not enrolled in the event's activity`
            : `group ${result.groupId} is not a group of the event's activity`,
        );
      }
      const key = 'studentId' in result ? `student ${result.studentId}` : `group ${result.groupId}`;
      const seen = winners.get(key) ?? { name: winner.name, places: [] };
      seen.places.push(result.place);
      winners.set(key, seen);
    }
    for (const { name, places } of winners.values()) {
      if (places.length > 1) {
        const named = places.sort((a, b) => a - b).map(ordinal);
        throw new RuleViolationError(
          `${name} is chosen for ${named.slice(0, -1).join(', ')} and ${named.at(-1)} place: a winner takes one place only`,
        );
      }
    }
    await tx.nativeDelete(EventResult, { event: event.id });
    for (const result of input.results) {
      tx.create(EventResult, {
        event: event.id,
        place: result.place,
        student: 'studentId' in result ? result.studentId : null,
        group: 'groupId' in result ? result.groupId : null,
      });
    }
    await tx.flush();
    await notify(
      tx,
      await activityMembers(tx, activityId, (studentId, activityName) => ({
        studentId,
        kind: 'event_results',
        payload: { activityId, activityName, eventId: event.id, eventName: event.name },
      })),
    );
  });
  return getEvent(em, input.eventId);
}
