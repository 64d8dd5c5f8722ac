// Signup rounds: what admins create and edit, and how a round reads (its times as the school's wall clock).
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { RoundCreateInput, RoundDto, RoundMode, RoundUpdateInput } from '@mergington/contract';
import { SignupRound } from '../../entities/index.ts';
import { schoolTimeZone } from '../../env.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
import { pgArray, query, sql } from '../../sql.ts';

/** A wall-clock "2027-09-01T08:00" in the school's zone as an instant. */
export function fromSchoolTime(local: string, zone: string = schoolTimeZone()): Date {
  const time = DateTime.fromISO(local, { zone });
  if (!time.isValid) throw new RuleViolationError(`${local} is not a time in ${zone}`);
  return time.toJSDate();
}

export function toSchoolTime(instant: Date, zone: string = schoolTimeZone()): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** For messages: "Wed 1 Sep 2027, 08:00" in the school's zone. */
export function spokenSchoolTime(instant: Date, zone: string = schoolTimeZone()): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('ccc d LLL yyyy, HH:mm');
}

/** A round as the signup path needs it. */
export interface RoundRow {
  id: number;
  name: string;
  mode: RoundMode;
  opens_at: Date;
  closes_at: Date;
  opening_window_seconds: number;
  max_per_student: number | null;
  no_overlap: boolean;
  max_choices: number;
  seniors_first: boolean;
  term_start: string | null;
  term_end: string | null;
  opening_seed: number | null;
  opening_placed_at: Date | null;
  lottery_seed: number | null;
  lottery_input_digest: string | null;
  published_at: Date | null;
  version: number;
}

const ROUND_COLUMNS = sql`r.id, r.name, r.mode, r.opens_at, r.closes_at, r.opening_window_seconds, r.max_per_student,
  r.no_overlap, r.max_choices, r.seniors_first, to_char(r.term_start, 'YYYY-MM-DD') as term_start,
  to_char(r.term_end, 'YYYY-MM-DD') as term_end, r.opening_seed, r.opening_placed_at, r.lottery_seed,
  r.lottery_input_digest, r.published_at, r.version`;

export async function findRound(em: EntityManager, roundId: number): Promise<RoundRow> {
  const [round] = await query<RoundRow>(
    em,
    sql`select ${ROUND_COLUMNS} from signup_round r where r.id = ${roundId}`,
  );
  if (!round) throw new NotFoundError('signup round', roundId);
  return withDates(round);
}

/** What a signup in a round reads of it, in one round trip: the round, the activity, the database's clock. */
export interface RoundSignupContext {
  round: RoundRow;
  activity: { name: string; allowed_grades: number[] | null; cancelled: boolean };
  now: Date;
}

export async function roundSignupContext(
  em: EntityManager,
  roundId: number,
  activityId: number,
): Promise<RoundSignupContext> {
  const [row] = await query<
    RoundRow & { activity_name: string; allowed_grades: number[] | null; cancelled: boolean; now: Date }
  >(
    em,
    sql`select ${ROUND_COLUMNS}, a.name as activity_name, a.allowed_grades,
               ra.cancelled_at is not null as cancelled, clock_timestamp() as now
          from signup_round r
          join signup_round_activity ra on ra.round_id = r.id and ra.activity_id = ${activityId}
          join activity a on a.id = ra.activity_id
         where r.id = ${roundId}`,
  );
  if (!row) throw new NotFoundError('activity', activityId);
  const { activity_name, allowed_grades, cancelled, now, ...round } = row;
  return {
    round: withDates(round),
    activity: { name: activity_name, allowed_grades, cancelled },
    now: new Date(now),
  };
}

/** The driver hands timestamps over as text. */
function withDates(round: RoundRow): RoundRow {
  const date = (value: Date | null) => (value === null ? null : new Date(value));
  return {
    ...round,
    opens_at: new Date(round.opens_at),
    closes_at: new Date(round.closes_at),
    opening_placed_at: date(round.opening_placed_at),
    published_at: date(round.published_at),
  };
}

/** When the opening draw's places are given: the end of the opening window (null: the round has none). */
export function openingDrawAt(
  round: Pick<RoundRow, 'mode' | 'opens_at' | 'opening_window_seconds'>,
): Date | null {
  return round.mode === 'first_come' && round.opening_window_seconds > 0
    ? new Date(round.opens_at.getTime() + round.opening_window_seconds * 1000)
    : null;
}

interface RoundActivityRow {
  round_id: number;
  activity_id: number;
  name: string;
  schedule: string;
  max_participants: number;
  enrolled_count: number;
  waitlist_count: number;
  min_participants: number | null;
  cancelled: boolean;
}

async function roundDtos(em: EntityManager, rounds: RoundRow[], zone: string): Promise<RoundDto[]> {
  const activities = rounds.length
    ? await query<RoundActivityRow>(
        em,
        sql`select ra.round_id, a.id as activity_id, a.name, a.schedule, a.max_participants, a.enrolled_count,
                   a.waitlist_count, ra.min_participants, ra.cancelled_at is not null as cancelled
              from signup_round_activity ra join activity a on a.id = ra.activity_id
             where ra.round_id = any(${pgArray(rounds.map((round) => round.id))}::int[])
             order by a.name`,
      )
    : [];
  const now = new Date();
  return rounds.map((round) => ({
    id: round.id,
    name: round.name,
    mode: round.mode,
    opensAt: round.opens_at,
    closesAt: round.closes_at,
    opensAtLocal: toSchoolTime(round.opens_at, zone),
    closesAtLocal: toSchoolTime(round.closes_at, zone),
    timeZone: zone,
    phase: now < round.opens_at ? 'upcoming' : now < round.closes_at ? 'open' : 'closed',
    openingWindowSeconds: round.opening_window_seconds,
    openingDrawAt: openingDrawAt(round),
    openingPlacedAt: round.opening_placed_at,
    maxPerStudent: round.max_per_student,
    noOverlap: round.no_overlap,
    maxChoices: round.max_choices,
    seniorsFirst: round.seniors_first,
    termStart: round.term_start,
    termEnd: round.term_end,
    activities: activities
      .filter((activity) => activity.round_id === round.id)
      .map((activity) => ({
        activityId: activity.activity_id,
        name: activity.name,
        schedule: activity.schedule,
        maxParticipants: activity.max_participants,
        enrolledCount: activity.enrolled_count,
        waitlistCount: activity.waitlist_count,
        minParticipants: activity.min_participants,
        cancelled: activity.cancelled,
      })),
    publishedAt: round.published_at,
    lotterySeed: round.lottery_seed,
    openingSeed: round.opening_seed,
    serverNow: now,
    version: round.version,
  }));
}

export async function getRound(
  em: EntityManager,
  roundId: number,
  zone = schoolTimeZone(),
): Promise<RoundDto> {
  const [dto] = await roundDtos(em, [await findRound(em, roundId)], zone);
  return dto!;
}

/** Every round, the latest opening first. */
export async function listRounds(em: EntityManager, zone = schoolTimeZone()): Promise<RoundDto[]> {
  const rounds = await query<RoundRow>(
    em,
    sql`select ${ROUND_COLUMNS} from signup_round r order by r.opens_at desc, r.id desc`,
  );
  return roundDtos(em, rounds.map(withDates), zone);
}

/** Puts the activities in the round (and takes out those no longer listed); an activity is in one round at most. */
async function setRoundActivities(
  em: EntityManager,
  roundId: number,
  activities: RoundCreateInput['activities'],
): Promise<void> {
  const ids = activities.map((activity) => activity.activityId);
  const taken = await query<{ id: number; name: string; round_name: string | null }>(
    em,
    sql`select a.id, a.name, r.name as round_name
          from activity a
          left join signup_round_activity ra on ra.activity_id = a.id and ra.round_id <> ${roundId}
          left join signup_round r on r.id = ra.round_id
         where a.id = any(${pgArray(ids)}::int[])`,
  );
  const missing = ids.find((id) => !taken.some((row) => row.id === id));
  if (missing !== undefined) throw new NotFoundError('activity', missing);
  const elsewhere = taken.find((row) => row.round_name !== null);
  if (elsewhere)
    throw new ConflictError(
      `${elsewhere.name} is already in the round ${elsewhere.round_name}`,
      'activities',
    );
  await query(
    em,
    sql`delete from signup_round_activity
         where round_id = ${roundId} and not (activity_id = any(${pgArray(ids)}::int[]))`,
  );
  await query(
    em,
    sql`insert into signup_round_activity (round_id, activity_id, min_participants)
                select ${roundId}, activity_id, min_participants
                  from unnest(${pgArray(ids)}::int[], ${pgArray(activities.map((a) => a.minParticipants))}::int[])
                       as given(activity_id, min_participants)
                on conflict (activity_id) do update set min_participants = excluded.min_participants`,
  );
}

export async function createRound(
  em: EntityManager,
  input: RoundCreateInput,
  zone = schoolTimeZone(),
): Promise<RoundDto> {
  const id = await em.transactional(async (tx) => {
    if (await tx.count(SignupRound, { name: input.name }))
      throw new ConflictError(`a round named ${input.name} exists already`, 'name');
    const { activities, opensAt, closesAt, ...fields } = input;
    const round = tx.create(SignupRound, {
      ...fields,
      opensAt: fromSchoolTime(opensAt, zone),
      closesAt: fromSchoolTime(closesAt, zone),
    });
    await tx.flush();
    await setRoundActivities(tx, round.id, activities);
    return round.id;
  });
  return getRound(em, id, zone);
}

/** Edits a round the admin last saw at `version`; a published lottery is not edited any more. */
export async function updateRound(
  em: EntityManager,
  input: RoundUpdateInput,
  zone = schoolTimeZone(),
): Promise<RoundDto> {
  await em.transactional(async (tx) => {
    const round = await tx.findOne(SignupRound, input.id);
    if (!round) throw new NotFoundError('signup round', input.id);
    if (round.version !== input.version)
      throw new ConflictError(
        `the round was edited by someone else (version ${round.version}, not ${input.version}): reload it`,
        'version',
      );
    if (round.publishedAt) throw new ConflictError(`${round.name} is published: it can no longer change`);
    const { id: _id, version: _version, activities, opensAt, closesAt, ...fields } = input;
    if (fields.name && fields.name !== round.name && (await tx.count(SignupRound, { name: fields.name })))
      throw new ConflictError(`a round named ${fields.name} exists already`, 'name');
    tx.assign(round, {
      ...fields,
      ...(opensAt ? { opensAt: fromSchoolTime(opensAt, zone) } : {}),
      ...(closesAt ? { closesAt: fromSchoolTime(closesAt, zone) } : {}),
    });
    if (round.closesAt <= round.opensAt) throw new RuleViolationError('a round must close after it opens');
    if (round.termStart && round.termEnd && round.termEnd < round.termStart)
      throw new RuleViolationError('the term must not end before it starts');
    await tx.flush();
    if (activities) await setRoundActivities(tx, round.id, activities);
  });
  return getRound(em, input.id, zone);
}
