// A student's side of a round: ranking a lottery's activities, and where they stand.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MyRoundDto, RankingInput } from '@mergington/contract';
import { ConflictError, RuleViolationError } from '../../errors.ts';
import { schoolTimeZone } from '../../env.ts';
import { pgArray, query, sql } from '../../sql.ts';
import { roundWhy } from './allocation.ts';
import { placeOpeningDraw, ROUND_LOCKS } from './round-signups.ts';
import { findRound, getRound, listRounds, openingDrawAt, spokenSchoolTime } from './rounds.ts';

/**
 * Replaces the student's ranking (best first) while the lottery is open and unpublished. The shared
 * rankings lock orders it against publication: a change that commits first makes the preview stale (its
 * publication is refused); one that comes after finds the round published and is refused.
 */
export async function setRanking(
  em: EntityManager,
  studentId: number,
  input: RankingInput,
  zone = schoolTimeZone(),
): Promise<MyRoundDto> {
  await em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock_shared(?, ?)', [ROUND_LOCKS.rankings, input.roundId]);
    const round = await findRound(tx, input.roundId);
    if (round.mode !== 'lottery')
      throw new RuleViolationError(`${round.name} is first come: sign up for its activities instead`);
    if (round.published_at) throw new ConflictError(`${round.name} is published: rankings are closed`);
    const [{ now }] = (await tx.execute<{ now: Date }[]>('select clock_timestamp() as now')) as [
      { now: Date },
    ];
    if (new Date(now) < round.opens_at)
      throw new RuleViolationError(
        `ranking for ${round.name} opens at ${spokenSchoolTime(round.opens_at, zone)} (${zone})`,
      );
    if (new Date(now) >= round.closes_at)
      throw new RuleViolationError(
        `ranking for ${round.name} closed at ${spokenSchoolTime(round.closes_at, zone)} (${zone})`,
      );
    if (input.activityIds.length > round.max_choices)
      throw new RuleViolationError(`rank at most ${round.max_choices} activities in ${round.name}`);
    const [student] = await query<{ grade: number | null }>(
      tx,
      sql`select grade from student where id = ${studentId}`,
    );
    const activities = await query<{ id: number; name: string; allowed_grades: number[] | null }>(
      tx,
      sql`select a.id, a.name, a.allowed_grades
            from signup_round_activity ra join activity a on a.id = ra.activity_id
           where ra.round_id = ${round.id} and ra.cancelled_at is null
             and a.id = any(${pgArray(input.activityIds)}::int[])`,
    );
    const missing = input.activityIds.find((id) => !activities.some((activity) => activity.id === id));
    if (missing !== undefined) throw new RuleViolationError(`activity ${missing} is not in ${round.name}`);
    const grade = student?.grade ?? null;
    const closed = activities.find((a) => a.allowed_grades && !(grade && a.allowed_grades.includes(grade)));
    if (closed)
      throw new RuleViolationError(
        `${closed.name} is open to grades ${closed.allowed_grades!.join(', ')} only`,
      );
    await query(
      tx,
      sql`delete from round_ranking where round_id = ${round.id} and student_id = ${studentId}`,
    );
    if (input.activityIds.length)
      await query(
        tx,
        sql`insert into round_ranking (round_id, student_id, activity_id, rank)
            select ${round.id}, ${studentId}, activity_id, rank
              from unnest(${pgArray(input.activityIds)}::int[]) with ordinality as ranked(activity_id, rank)`,
      );
  });
  return myRound(em, studentId, input.roundId, zone);
}

/**
 * Where the student stands in a round: their ranking, signups held for the opening draw, their place in
 * it, their signups, and (published lottery) the why. Reading a first-come round after its opening window
 * places the draw if nobody has yet, so "results at 08:01" are there at 08:01.
 */
export async function myRound(
  em: EntityManager,
  studentId: number,
  roundId: number,
  zone = schoolTimeZone(),
): Promise<MyRoundDto> {
  let round = await findRound(em, roundId);
  const drawAt = openingDrawAt(round);
  if (drawAt && !round.opening_placed_at && Date.now() >= drawAt.getTime()) {
    await placeOpeningDraw(em, roundId);
    round = await findRound(em, roundId);
  }
  const ranking = await query<{ activityId: number; name: string }>(
    em,
    sql`select a.id as "activityId", a.name from round_ranking r join activity a on a.id = r.activity_id
         where r.round_id = ${roundId} and r.student_id = ${studentId} order by r.rank`,
  );
  const entries = await query<{ activityId: number; name: string; position: number | null; size: number }>(
    em,
    sql`select a.id as "activityId", a.name, e.draw_position as position,
               (select count(distinct student_id)::int from opening_draw_entry x where x.round_id = e.round_id) as size
          from opening_draw_entry e join activity a on a.id = e.activity_id
         where e.round_id = ${roundId} and e.student_id = ${studentId} order by e.id`,
  );
  const signups = await query<{
    activityId: number;
    name: string;
    status: 'enrolled' | 'waitlisted';
    waitlistPosition: number | null;
  }>(
    em,
    sql`select a.id as "activityId", a.name, p.status,
               case when p.status = 'waitlisted' then
                 (select count(*)::int from activity_participant q
                   where q.activity_id = p.activity_id and q.status = 'waitlisted' and q.id <= p.id)
               end as "waitlistPosition"
          from activity_participant p
          join signup_round_activity ra on ra.activity_id = p.activity_id and ra.round_id = ${roundId}
          join activity a on a.id = p.activity_id
         where p.student_id = ${studentId} order by a.name`,
  );
  const placed = entries.find((entry) => entry.position !== null);
  const hasDraw = round.published_at
    ? (
        await query(
          em,
          sql`select 1 from round_draw where round_id = ${roundId} and student_id = ${studentId}`,
        )
      ).length > 0
    : false;
  return {
    round: await getRound(em, roundId, zone),
    ranking,
    inOpeningDraw: entries
      .filter((entry) => entry.position === null)
      .map(({ activityId, name }) => ({ activityId, name })),
    openingDrawPosition: placed?.position ?? null,
    openingDrawSize: placed ? placed.size : null,
    signups,
    why: hasDraw ? await roundWhy(em, roundId, studentId) : null,
  };
}

/** Every round, as the student stands in it. */
export async function myRounds(
  em: EntityManager,
  studentId: number,
  zone = schoolTimeZone(),
): Promise<MyRoundDto[]> {
  const mine: MyRoundDto[] = [];
  for (const round of await listRounds(em, zone)) mine.push(await myRound(em, studentId, round.id, zone));
  return mine;
}
