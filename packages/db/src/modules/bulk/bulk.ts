// Bulk roster changes (README "Bulk operations"): each kind of operation is planned by one function, which the
// preview runs as it stands and the apply runs again under the activities' locks before it writes.
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type BulkApplyInput,
  type BulkOperation,
  type BulkPlan,
  type BulkResult,
  type BulkRow,
  emailSchema,
  type ParticipantStatus,
} from '@mergington/contract';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { pgArray, query, sql } from '../../sql.ts';
import { joinsAs, type SeatCounts } from '../activities/admission.ts';
import { fillFreeSeats } from '../activities/signups.ts';
import { leaveGroupsOfActivity } from '../groups/groups.ts';

interface ActivityRow {
  id: number;
  name: string;
  max_participants: number;
  enrolled_count: number;
  waitlist_count: number;
  allowed_grades: number[] | null;
}

/** A student of the list as the database knows them, with their signups of the activities concerned. */
interface Candidate {
  key: string;
  /** Where the list put them (0 first). */
  index: number;
  studentId: number | null;
  name: string | null;
  email: string | null;
  grade: number | null;
  /** Their signup of the activity a move, copy or withdrawal takes them from, and its row id (queue order). */
  sourceStatus: ParticipantStatus | null;
  sourceRow: number | null;
  /** Their signup of the activity an add, move or copy takes them to. */
  targetStatus: ParticipantStatus | null;
  /** An email that is not one. */
  invalid?: true;
}

/** A plan, with what the apply needs to write it. */
interface Plan extends BulkPlan {
  source: ActivityRow | null;
  target: ActivityRow;
}

/** What a bulk operation would do now: nothing is written and nothing is locked. */
export async function previewBulk(em: EntityManager, operation: BulkOperation): Promise<BulkPlan> {
  return publicPlan(await planOf(em, operation, await activitiesOf(em, operation, false)));
}

/**
 * Applies a bulk operation in one transaction. The activities concerned are locked first (in id order, so two
 * operations on the same pair wait for each other rather than deadlock; signups and withdrawals take the same
 * locks), then the plan is made again from what is there now: a preview may be stale, and the answer lists
 * the rows whose outcome changed since it. `all-or-nothing` writes nothing when anyone is refused
 * (RuleViolationError naming them); `skip-refused` writes the rest.
 */
export async function applyBulk(em: EntityManager, input: BulkApplyInput): Promise<BulkResult> {
  return em.transactional(async (tx) => {
    const plan = await planOf(tx, input.operation, await activitiesOf(tx, input.operation, true));
    const refused = plan.rows.filter((row) => row.outcome === 'refused');
    if (refused.length > 0 && input.mode === 'all-or-nothing') throw new BulkRefusedError(refused);
    const promoted = await write(tx, input.operation, plan);
    return {
      ...publicPlan(plan),
      promoted,
      mode: input.mode,
      changedSincePreview: changesSince(input.previewed, plan.rows),
    };
  });
}

/** An all-or-nothing apply with refusals: nothing was written. */
export class BulkRefusedError extends RuleViolationError {
  override name = 'BulkRefusedError';
  constructor(readonly refused: BulkRow[]) {
    const shown = refused.slice(0, 10).map((row) => `${row.name ?? row.key} (${row.reason})`);
    const more = refused.length > shown.length ? `, and ${refused.length - shown.length} more` : '';
    super(
      `nothing was changed: ${refused.length} of the list ${refused.length === 1 ? 'is' : 'are'} refused: ` +
        `${shown.join('; ')}${more}. Apply with "skip refused" to change the others.`,
    );
  }
}

const publicPlan = ({ source: _source, target: _target, ...plan }: Plan): BulkPlan => plan;

// ---- the activities

interface Activities {
  /** The activity students join, or (withdraw) leave. */
  target: ActivityRow;
  /** The activity a move or copy takes them from. */
  source: ActivityRow | null;
}

async function activitiesOf(em: EntityManager, operation: BulkOperation, lock: boolean): Promise<Activities> {
  const ids =
    operation.kind === 'move' || operation.kind === 'copy'
      ? [operation.fromActivityId, operation.toActivityId]
      : [operation.activityId];
  // FOR UPDATE locks the rows as the ORDER BY returns them: in id order.
  const rows = await query<ActivityRow>(
    em,
    sql`select id, name, max_participants, enrolled_count, waitlist_count, allowed_grades
          from activity where id in (${ids}) order by id ${lock ? sql`for update` : sql``}`,
  );
  const find = (id: number) => {
    const row = rows.find((activity) => activity.id === id);
    if (!row) throw new NotFoundError('activity', id);
    return row;
  };
  if (operation.kind !== 'withdraw') await refuseRoundActivity(em, find(ids.at(-1)!));
  return operation.kind === 'move' || operation.kind === 'copy'
    ? { source: find(operation.fromActivityId), target: find(operation.toActivityId) }
    : { source: null, target: find(operation.activityId) };
}

/**
 * A signup round's activity takes students by the round's rules (its window, per-student limits, the opening
 * draw, a stated reason for each staff override), which a bulk add would bypass: staff add to it one by one.
 */
async function refuseRoundActivity(em: EntityManager, target: ActivityRow): Promise<void> {
  const [round] = await query<{ name: string }>(
    em,
    sql`select r.name from signup_round_activity ra join signup_round r on r.id = ra.round_id
         where ra.activity_id = ${target.id}`,
  );
  if (round) {
    throw new RuleViolationError(
      `${target.name} is in the signup round ${round.name}: add its students one by one (with a reason where the round's limits refuse them)`,
    );
  }
}

// ---- planning

async function planOf(em: EntityManager, operation: BulkOperation, activities: Activities): Promise<Plan> {
  const { target, source } = activities;
  const candidates =
    operation.kind === 'add'
      ? await candidatesByEmail(em, operation.emails, target.id)
      : await candidatesById(
          em,
          operation.studentIds,
          operation.kind === 'withdraw' ? target.id : source!.id,
          operation.kind === 'withdraw' ? null : target.id,
        );
  const rows =
    operation.kind === 'withdraw'
      ? candidates.map((candidate) => withdrawalRow(candidate, target))
      : admissionRows(inQueueOrder(candidates), target, source);
  const leaving = operation.kind === 'withdraw' ? target : operation.kind === 'move' ? source : null;
  const promoted = leaving ? await promotions(em, leaving, rows, operation.kind === 'withdraw') : [];
  const count = (outcome: BulkRow['outcome']) => rows.filter((row) => row.outcome === outcome).length;
  return {
    kind: operation.kind,
    activity: { id: target.id, name: target.name },
    from: source && { id: source.id, name: source.name },
    rows,
    counts: {
      enrolled: count('enrolled'),
      waitlisted: count('waitlisted'),
      withdrawn: operation.kind === 'move' ? rows.length - count('refused') : count('withdrawn'),
      refused: count('refused'),
    },
    promoted,
    source,
    target,
  };
}

interface CandidateRow {
  n: string;
  item: string;
  student_id: number | null;
  name: string | null;
  email: string | null;
  grade: number | null;
  source_status: ParticipantStatus | null;
  source_row: number | null;
  target_status: ParticipantStatus | null;
}

const candidateOf = (row: CandidateRow, key: string): Candidate => ({
  key,
  index: Number(row.n),
  studentId: row.student_id,
  name: row.name,
  email: row.email,
  grade: row.grade,
  sourceStatus: row.source_status,
  sourceRow: row.source_row,
  targetStatus: row.target_status,
});

/** The students an add's emails name, each email once (normalised); one that is not an email is marked so. */
async function candidatesByEmail(
  em: EntityManager,
  emails: string[],
  targetId: number,
): Promise<Candidate[]> {
  const items = new Map<string, boolean>();
  for (const email of emails) {
    const parsed = emailSchema.safeParse(email);
    if (!items.has(parsed.data ?? email)) items.set(parsed.data ?? email, parsed.success);
  }
  const valid = [...items].filter(([, isEmail]) => isEmail).map(([email]) => email);
  const rows = await query<CandidateRow>(
    em,
    sql`select l.n, l.item, s.id as student_id, s.name, s.email, s.grade,
               null as source_status, null::int as source_row, t.status as target_status
          from unnest(${pgArray(valid)}::text[]) with ordinality as l(item, n)
          left join student s on s.email = l.item
          left join activity_participant t on t.activity_id = ${targetId} and t.student_id = s.id`,
  );
  const found = new Map(rows.map((row) => [row.item, row]));
  return [...items.keys()].map((item, index) => {
    const row = found.get(item);
    if (row) return { ...candidateOf(row, item), index };
    return { ...candidateOf(emptyRow(item), item), index, invalid: true };
  });
}

const emptyRow = (item: string): CandidateRow => ({
  n: '0',
  item,
  student_id: null,
  name: null,
  email: null,
  grade: null,
  source_status: null,
  source_row: null,
  target_status: null,
});

/** The students a move, copy or withdrawal names, each once, with their signups of the two activities. */
async function candidatesById(
  em: EntityManager,
  studentIds: number[],
  sourceId: number,
  targetId: number | null,
): Promise<Candidate[]> {
  const rows = await query<CandidateRow>(
    em,
    sql`select l.n, l.item::text as item, s.id as student_id, s.name, s.email, s.grade,
               f.status as source_status, f.id as source_row, t.status as target_status
          from unnest(${pgArray([...new Set(studentIds)])}::int[]) with ordinality as l(item, n)
          left join student s on s.id = l.item
          left join activity_participant f on f.activity_id = ${sourceId} and f.student_id = l.item
          left join activity_participant t on t.activity_id = ${targetId} and t.student_id = l.item
         order by l.n`,
  );
  return rows.map((row) => candidateOf(row, row.item));
}

/** A move's or copy's students in their place in the line of the first activity: enrolled, then the waitlist. */
function inQueueOrder(candidates: Candidate[]): Candidate[] {
  const rank = (candidate: Candidate) =>
    candidate.sourceStatus === 'enrolled' ? 0 : candidate.sourceStatus === 'waitlisted' ? 1 : 2;
  return [...candidates].sort(
    (a, b) => rank(a) - rank(b) || (a.sourceRow ?? 0) - (b.sourceRow ?? 0) || a.index - b.index,
  );
}

const rowOf = (
  candidate: Candidate,
): Omit<BulkRow, 'outcome' | 'waitlistPosition' | 'refusal' | 'reason'> => ({
  key: candidate.key,
  studentId: candidate.studentId,
  name: candidate.name,
  email: candidate.email,
});

const refused = (candidate: Candidate, refusal: BulkRow['refusal'], reason: string): BulkRow => ({
  ...rowOf(candidate),
  outcome: 'refused',
  waitlistPosition: null,
  refusal,
  reason,
});

const signupWords = (status: ParticipantStatus, activity: ActivityRow) =>
  status === 'enrolled'
    ? `already enrolled in ${activity.name}`
    : `already on the waitlist of ${activity.name}`;

/** Why a student of an add, move or copy cannot join, or null; then each joins by the admission rule. */
function admissionRows(candidates: Candidate[], target: ActivityRow, source: ActivityRow | null): BulkRow[] {
  const seats: SeatCounts = {
    enrolled: target.enrolled_count,
    waiting: target.waitlist_count,
    max: target.max_participants,
  };
  return candidates.map((candidate) => {
    if (candidate.invalid) return refused(candidate, 'invalid-email', 'not an email address');
    if (candidate.studentId === null) {
      return source
        ? refused(candidate, 'unknown-student', `no student has id ${candidate.key}`)
        : refused(candidate, 'unknown-email', 'no student has this email');
    }
    if (source && candidate.sourceStatus === null) {
      return refused(candidate, 'not-in-source', `not signed up for ${source.name}`);
    }
    if (candidate.targetStatus !== null) {
      return refused(candidate, 'already-signed-up', signupWords(candidate.targetStatus, target));
    }
    const grades = target.allowed_grades;
    if (grades && !(candidate.grade !== null && grades.includes(candidate.grade))) {
      return refused(
        candidate,
        'grade-not-allowed',
        `${target.name} is open to grades ${grades.join(', ')} only` +
          (candidate.grade === null
            ? ', and this student has no grade on record'
            : `, not grade ${candidate.grade}`),
      );
    }
    const status = joinsAs(seats);
    if (status === 'enrolled') seats.enrolled++;
    else seats.waiting++;
    return {
      ...rowOf(candidate),
      outcome: status,
      waitlistPosition: status === 'waitlisted' ? seats.waiting : null,
      refusal: null,
      reason: null,
    };
  });
}

function withdrawalRow(candidate: Candidate, activity: ActivityRow): BulkRow {
  if (candidate.studentId === null) {
    return refused(candidate, 'unknown-student', `no student has id ${candidate.key}`);
  }
  if (candidate.sourceStatus === null) {
    return refused(candidate, 'not-signed-up', `not signed up for ${activity.name}`);
  }
  return { ...rowOf(candidate), outcome: 'withdrawn', waitlistPosition: null, refusal: null, reason: null };
}

/**
 * Who takes the seats the leavers free: the first of the waitlist who are not leaving themselves, as many as
 * seats are then free (fillFreeSeats' rule).
 */
async function promotions(
  em: EntityManager,
  activity: ActivityRow,
  rows: BulkRow[],
  withdrawal: boolean,
): Promise<{ studentId: number; name: string }[]> {
  const leaving = new Set(
    rows
      .filter((row) => (withdrawal ? row.outcome === 'withdrawn' : row.outcome !== 'refused'))
      .map((row) => row.studentId!),
  );
  if (leaving.size === 0) return [];
  const line = await query<{ student_id: number; name: string; status: ParticipantStatus }>(
    em,
    sql`select p.student_id, s.name, p.status from activity_participant p join student s on s.id = p.student_id
         where p.activity_id = ${activity.id} and p.student_id in (${[...leaving]})`,
  );
  const enrolledLeaving = line.filter((row) => row.status === 'enrolled').length;
  const waitingLeaving = line.length - enrolledLeaving;
  const free = Math.max(activity.max_participants - (activity.enrolled_count - enrolledLeaving), 0);
  if (free === 0) return [];
  const waiting = await query<{ student_id: number; name: string }>(
    em,
    sql`select p.student_id, s.name from activity_participant p join student s on s.id = p.student_id
         where p.activity_id = ${activity.id} and p.status = 'waitlisted'
         order by p.id limit ${free + waitingLeaving}`,
  );
  return waiting
    .filter((row) => !leaving.has(row.student_id))
    .slice(0, free)
    .map((row) => ({ studentId: row.student_id, name: row.name }));
}

// ---- writing

/** Writes a plan whose activities this transaction has locked; returns who took the freed seats. */
async function write(
  em: EntityManager,
  operation: BulkOperation,
  plan: Plan,
): Promise<{ studentId: number; name: string }[]> {
  const accepted = plan.rows.filter((row) => row.outcome !== 'refused');
  if (accepted.length === 0) return [];
  const leaving =
    operation.kind === 'withdraw' ? plan.target : operation.kind === 'move' ? plan.source : null;
  let promoted: number[] = [];
  if (leaving) {
    const ids = accepted.map((row) => row.studentId!);
    await query(
      em,
      sql`delete from activity_participant where activity_id = ${leaving.id} and student_id in (${ids})`,
    );
    const members = await query<{ student_id: number }>(
      em,
      sql`select distinct student_id from group_member where activity_id = ${leaving.id} and student_id in (${ids})`,
    );
    for (const member of members) await leaveGroupsOfActivity(em, member.student_id, leaving.id);
    promoted = await fillFreeSeats(em, leaving.id);
  }
  if (operation.kind !== 'withdraw') {
    // One statement, in the plan's order: serial ids keep that order, and the waitlist is ordered by id.
    await query(
      em,
      sql`insert into activity_participant (activity_id, student_id, status)
          select ${plan.target.id}, l.student_id, l.status
            from unnest(${pgArray(accepted.map((row) => row.studentId!))}::int[],
                        ${pgArray(accepted.map((row) => row.outcome))}::text[])
                 with ordinality as l(student_id, status, n)
           order by l.n`,
    );
  }
  if (promoted.length === 0) return [];
  const names = await query<{ id: number; name: string }>(
    em,
    sql`select id, name from student where id in (${promoted})`,
  );
  return promoted.map((id) => ({ studentId: id, name: names.find((row) => row.id === id)?.name ?? '' }));
}

function changesSince(
  previewed: BulkApplyInput['previewed'],
  rows: BulkRow[],
): BulkResult['changedSincePreview'] {
  if (!previewed) return [];
  const before = new Map(previewed.map((row) => [row.key, row]));
  return rows.flatMap((row) => {
    const was = before.get(row.key);
    if (was && was.outcome === row.outcome && was.waitlistPosition === row.waitlistPosition) return [];
    return [
      {
        key: row.key,
        name: row.name,
        previewed: was ? { outcome: was.outcome, waitlistPosition: was.waitlistPosition } : null,
        applied: { outcome: row.outcome, waitlistPosition: row.waitlistPosition },
      },
    ];
  });
}
