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
import { containsPattern } from '../../sql.ts';

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
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { items: committees.map(toCommitteeDto), total, page: input.page, pageSize: input.pageSize };
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
}

const POSITION_SELECT = `
  select p.id, c.id as committee_id, c.name as committee_name, p.position_name,
         s.id as student_id, s.name as student_name,
         to_char(p.term_start, 'YYYY-MM-DD') as term_start, to_char(p.term_end, 'YYYY-MM-DD') as term_end,
         p.term_start <= current_date and (p.term_end is null or p.term_end > current_date) as current
    from position p join committee c on c.id = p.committee_id join student s on s.id = p.student_id`;

const toPositionDto = (row: PositionRow): PositionDto => ({
  id: row.id,
  committee: { id: row.committee_id, name: row.committee_name },
  positionName: row.position_name,
  student: { id: row.student_id, name: row.student_name },
  termStart: row.term_start,
  termEnd: row.term_end,
  current: row.current,
});

export async function getPosition(em: EntityManager, id: number): Promise<PositionDto> {
  const [row] = await em.execute<PositionRow[]>(`${POSITION_SELECT} where p.id = ?`, [id]);
  if (!row) throw new NotFoundError('position', id);
  return toPositionDto(row);
}

export async function listPositions(
  em: EntityManager,
  input: { page: number; pageSize: number; committeeId?: number; studentId?: number },
): Promise<Page<PositionDto>> {
  const rows = await em.execute<(PositionRow & { total: string })[]>(
    `${POSITION_SELECT.replace('select p.id,', 'select count(*) over () as total, p.id,')}
      where (?::int is null or p.committee_id = ?) and (?::int is null or p.student_id = ?)
      order by c.name, p.position_name, p.term_start desc limit ? offset ?`,
    [
      input.committeeId ?? null,
      input.committeeId ?? null,
      input.studentId ?? null,
      input.studentId ?? null,
      input.pageSize,
      (input.page - 1) * input.pageSize,
    ],
  );
  return {
    items: rows.map(toPositionDto),
    total: Number(rows[0]?.total ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** Who holds which position today, of one committee or of all. */
export async function currentHolders(em: EntityManager, committeeId?: number): Promise<PositionDto[]> {
  const rows = await em.execute<PositionRow[]>(
    `${POSITION_SELECT}
      where (?::int is null or p.committee_id = ?)
        and p.term_start <= current_date and (p.term_end is null or p.term_end > current_date)
      order by c.name, p.position_name`,
    [committeeId ?? null, committeeId ?? null],
  );
  return rows.map(toPositionDto);
}

/** Everyone who has held (or will hold) one position of a committee, newest term first. */
export async function positionHistory(
  em: EntityManager,
  committeeId: number,
  positionName: string,
): Promise<PositionDto[]> {
  const rows = await em.execute<PositionRow[]>(
    `${POSITION_SELECT} where p.committee_id = ? and lower(p.position_name) = lower(?) order by p.term_start desc`,
    [committeeId, positionName],
  );
  return rows.map(toPositionDto);
}

export async function studentPositions(em: EntityManager, studentId: number): Promise<PositionDto[]> {
  const rows = await em.execute<PositionRow[]>(
    `${POSITION_SELECT} where p.student_id = ? order by p.term_start desc`,
    [studentId],
  );
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
  const [holder] = await em.execute<PositionRow[]>(
    `${POSITION_SELECT}
      where p.committee_id = ? and lower(p.position_name) = lower(?) and p.id <> ?
        and daterange(p.term_start, p.term_end) && daterange(?::date, ?::date)
      order by p.term_start limit 1`,
    [position.committeeId, position.positionName, exceptId ?? 0, position.termStart, position.termEnd],
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
