import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Committee, Position, Student } from '../../entities/index.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
import {
  type CommitteeDto,
  type Page,
  type PositionAssignInput,
  type PositionDto,
  type PositionUpdateInput,
} from '@mergington/contract';
import { pageBounds, pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { containsPattern, query, sql, type Sql, whereAll } from '../../sql.ts';

// ---- committees

const toCommitteeDto = (committee: Committee): CommitteeDto => ({
  id: committee.id,
  name: committee.name,
  description: committee.description,
  createdAt: committee.createdAt,
});

export async function listCommittees(
  em: EntityManager,
  input: { page: number; pageSize: number; search?: string },
): Promise<Page<CommitteeDto>> {
  const where: FilterQuery<Committee> = input.search
    ? { name: { $ilike: containsPattern(input.search) } }
    : {};
  const [committees, total] = await em.findAndCount(Committee, where, {
    orderBy: { name: 'asc' },
    ...pageBounds(input),
  });
  return toPage(committees.map(toCommitteeDto), total, input);
}

export async function getCommittee(em: EntityManager, id: number): Promise<CommitteeDto> {
  const committee = await em.findOne(Committee, id);
  if (!committee) throw new NotFoundError('committee', id);
  return toCommitteeDto(committee);
}

export async function createCommittee(
  em: EntityManager,
  input: { name: string; description: string },
): Promise<CommitteeDto> {
  if (await em.count(Committee, { name: input.name })) {
    throw new ConflictError(`a committee named ${input.name} already exists`, 'name');
  }
  const committee = em.create(Committee, input);
  await em.flush();
  return toCommitteeDto(committee);
}

export async function updateCommittee(
  em: EntityManager,
  input: { id: number; name?: string; description?: string },
): Promise<CommitteeDto> {
  const committee = await em.findOne(Committee, input.id);
  if (!committee) throw new NotFoundError('committee', input.id);
  if (input.name !== undefined) committee.name = input.name;
  if (input.description !== undefined) committee.description = input.description;
  await em.flush();
  return toCommitteeDto(committee);
}

/** Deletes a committee with its positions' history. */
export async function deleteCommittee(em: EntityManager, id: number): Promise<void> {
  if (!(await em.nativeDelete(Committee, { id }))) throw new NotFoundError('committee', id);
}

// ---- positions

interface PositionRow {
  id: number;
  committee_id: number;
  committee_name: string;
  position_name: string;
  student_id: number;
  student_name: string;
  term_start: string;
  term_end: string | null;
  current: boolean;
  ended: boolean;
}

const POSITION_COLUMNS = sql`p.id, c.id as committee_id, c.name as committee_name, p.position_name,
         s.id as student_id, s.name as student_name,
         to_char(p.term_start, 'YYYY-MM-DD') as term_start, to_char(p.term_end, 'YYYY-MM-DD') as term_end,
         p.term_start <= current_date and (p.term_end is null or p.term_end > current_date) as current,
         coalesce(p.term_end <= current_date, false) as ended`;
const POSITION_FROM = sql`from position p join committee c on c.id = p.committee_id join student s on s.id = p.student_id`;
const positions = (em: EntityManager, rest: Sql) =>
  query<PositionRow>(em, sql`select ${POSITION_COLUMNS} ${POSITION_FROM} ${rest}`);

const toPositionDto = (row: PositionRow): PositionDto => ({
  id: row.id,
  committee: { id: row.committee_id, name: row.committee_name },
  positionName: row.position_name,
  student: { id: row.student_id, name: row.student_name },
  termStart: row.term_start,
  termEnd: row.term_end,
  current: row.current,
  ended: row.ended,
});

export async function getPosition(em: EntityManager, id: number): Promise<PositionDto> {
  const [row] = await positions(em, sql`where p.id = ${id}`);
  if (!row) throw new NotFoundError('position', id);
  return toPositionDto(row);
}

export async function listPositions(
  em: EntityManager,
  input: { page: number; pageSize: number; committeeId?: number; studentId?: number },
): Promise<Page<PositionDto>> {
  const conditions: Sql[] = [];
  if (input.committeeId !== undefined) conditions.push(sql`p.committee_id = ${input.committeeId}`);
  if (input.studentId !== undefined) conditions.push(sql`p.student_id = ${input.studentId}`);
  const rows = await query<PositionRow & { total: string }>(
    em,
    sql`select ${TOTAL_COLUMN}, ${POSITION_COLUMNS} ${POSITION_FROM} ${whereAll(conditions)}
         order by c.name, p.position_name, p.term_start desc ${pageClause(input)}`,
  );
  return toPage(rows.map(toPositionDto), rows[0]?.total, input);
}

/** Who holds which position today, of one committee or of all. */
export async function currentHolders(em: EntityManager, committeeId?: number): Promise<PositionDto[]> {
  const ofCommittee = committeeId === undefined ? sql`` : sql`and p.committee_id = ${committeeId}`;
  const rows = await positions(
    em,
    sql`where p.term_start <= current_date and (p.term_end is null or p.term_end > current_date) ${ofCommittee}
         order by c.name, p.position_name`,
  );
  return rows.map(toPositionDto);
}

/**
 * Everyone who has held, holds or will hold a position: of one position of a committee, of a whole
 * committee or of all, by committee and position, newest term first. Ended terms stay: former holders.
 */
export async function positionHistory(
  em: EntityManager,
  input: { committeeId?: number; positionName?: string },
): Promise<PositionDto[]> {
  const conditions: Sql[] = [];
  if (input.committeeId !== undefined) conditions.push(sql`p.committee_id = ${input.committeeId}`);
  if (input.positionName !== undefined)
    conditions.push(sql`lower(p.position_name) = lower(${input.positionName})`);
  const rows = await positions(
    em,
    sql`${whereAll(conditions)} order by c.name, c.id, lower(p.position_name), p.term_start desc`,
  );
  return rows.map(toPositionDto);
}

export async function studentPositions(em: EntityManager, studentId: number): Promise<PositionDto[]> {
  const rows = await positions(em, sql`where p.student_id = ${studentId} order by p.term_start desc`);
  return rows.map(toPositionDto);
}

/**
 * The term that overlaps [termStart, termEnd) of the same position, other than `exceptId`: a conflict that
 * names its holder. The exclusion constraint is the last word when two assignments race.
 */
async function refuseOverlap(
  em: EntityManager,
  position: { committeeId: number; positionName: string; termStart: string; termEnd: string | null },
  exceptId?: number,
): Promise<void> {
  const [holder] = await positions(
    em,
    sql`where p.committee_id = ${position.committeeId} and lower(p.position_name) = lower(${position.positionName})
          and p.id <> ${exceptId ?? 0}
          and daterange(p.term_start, p.term_end) && daterange(${position.termStart}::date, ${position.termEnd}::date)
        order by p.term_start limit 1`,
  );
  if (holder) {
    throw new ConflictError(
      `${holder.position_name} of ${holder.committee_name} is held by ${holder.student_name} ` +
        `from ${holder.term_start}${holder.term_end ? ` to ${holder.term_end}` : ''}`,
      'termStart',
    );
  }
}

export async function assignPosition(em: EntityManager, input: PositionAssignInput): Promise<PositionDto> {
  const id = await em.transactional(async (tx) => {
    if (!(await tx.count(Committee, { id: input.committeeId })))
      throw new NotFoundError('committee', input.committeeId);
    if (!(await tx.count(Student, { id: input.studentId })))
      throw new NotFoundError('student', input.studentId);
    await refuseOverlap(tx, input);
    const position = tx.create(Position, {
      committee: input.committeeId,
      student: input.studentId,
      positionName: input.positionName,
      termStart: input.termStart,
      termEnd: input.termEnd,
    });
    await tx.flush();
    return position.id;
  });
  return getPosition(em, id);
}

export async function updatePosition(em: EntityManager, input: PositionUpdateInput): Promise<PositionDto> {
  await em.transactional(async (tx) => {
    const position = await tx.findOne(Position, input.id);
    if (!position) throw new NotFoundError('position', input.id);
    const next = {
      committeeId: position.committee.id,
      positionName: input.positionName ?? position.positionName,
      termStart: input.termStart ?? position.termStart,
      termEnd: input.termEnd === undefined ? (position.termEnd ?? null) : input.termEnd,
    };
    if (next.termEnd && next.termEnd <= next.termStart) {
      throw new RuleViolationError('a term must end after it starts');
    }
    await refuseOverlap(tx, next, position.id);
    Object.assign(position, {
      positionName: next.positionName,
      termStart: next.termStart,
      termEnd: next.termEnd,
    });
    await tx.flush();
  });
  return getPosition(em, input.id);
}

/** Ends a term early: on `endDate` (default today, UTC), which must fall inside the term. */
export async function endTerm(em: EntityManager, id: number, endDate?: string): Promise<PositionDto> {
  const position = await em.findOne(Position, id);
  if (!position) throw new NotFoundError('position', id);
  const end = endDate ?? new Date().toISOString().slice(0, 10);
  if (end <= position.termStart)
    throw new RuleViolationError(`the term starts on ${position.termStart}: it cannot end by ${end}`);
  if (position.termEnd && end >= position.termEnd) {
    throw new RuleViolationError(`the term already ends on ${position.termEnd}, before ${end}`);
  }
  position.termEnd = end;
  await em.flush();
  return getPosition(em, id);
}

export async function deletePosition(em: EntityManager, id: number): Promise<void> {
  if (!(await em.nativeDelete(Position, { id }))) throw new NotFoundError('position', id);
}
