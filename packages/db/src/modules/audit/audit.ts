import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  AuditActorKind,
  AuditEntry,
  AuditListInput,
  Page,
  Principal,
  RosterEvent,
} from '@mergington/contract';
import { pageClause, type PageRequest, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql, whereAll } from '../../sql.ts';

/** Who is writing, and from where: what the audit triggers record beside each change. */
export interface AuditActor {
  kind: AuditActorKind;
  id: number | null;
  name: string | null;
  requestId: string | null;
  clientAddress: string | null;
}

/** The actor of a request: its signed-in user, else a visitor; `import` for an import run by that user. */
export function auditActorOf(
  user: Principal | null,
  request: { requestId: string; clientAddress: string },
  as?: 'import',
): AuditActor {
  return {
    kind: as ?? user?.kind ?? 'anonymous',
    id: user?.id ?? null,
    name: user?.name ?? null,
    requestId: request.requestId.slice(0, 64),
    clientAddress: request.clientAddress.slice(0, 64),
  };
}

/**
 * Names the actor for the rest of `em`'s transaction (it must be in one): transaction-local settings, gone
 * at its commit or rollback, so a pooled connection (or PgBouncer in transaction mode) never carries them
 * into another transaction. One statement.
 */
export async function setAuditActor(em: EntityManager, actor: AuditActor): Promise<void> {
  await em.execute(
    `select set_config('mergington.actor_kind', ?, true), set_config('mergington.actor_id', ?, true),
            set_config('mergington.actor_name', ?, true), set_config('mergington.request_id', ?, true),
            set_config('mergington.client_address', ?, true)`,
    [
      actor.kind,
      actor.id === null ? '' : String(actor.id),
      actor.name ?? '',
      actor.requestId ?? '',
      actor.clientAddress ?? '',
    ],
  );
}

/** Runs `work` in one transaction whose writes are recorded as `actor`'s. */
export function asAuditActor<T>(
  em: EntityManager,
  actor: AuditActor,
  work: (tx: EntityManager) => Promise<T>,
) {
  return em.transactional(async (tx) => {
    await setAuditActor(tx, actor);
    return work(tx);
  });
}

/** The shortest retention the database allows (prune_audit_log and the append-only trigger hold it too). */
export const MIN_AUDIT_RETENTION_DAYS = 30;

/**
 * Deletes audit rows older than `keepDays` (at least 30), unless another process is pruning right now
 * (an advisory lock: replicas and workers each run the timer). Returns how many it deleted, or null when
 * it left the work to the other process.
 */
export async function pruneAuditLog(em: EntityManager, keepDays: number): Promise<number | null> {
  return em.transactional(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtext('mergington.prune_audit_log')) as locked`,
    );
    if (!lock!.locked) return null;
    const [row] = await tx.execute<{ pruned: string }[]>(`select prune_audit_log(?) as pruned`, [keepDays]);
    return Number(row!.pruned);
  });
}

interface AuditRow {
  id: number;
  at: Date;
  actor_kind: AuditActorKind;
  actor_id: number | null;
  actor_name: string | null;
  request_id: string | null;
  client_address: string | null;
  table_name: string;
  row_id: number | null;
  action: AuditEntry['action'];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  activity_id: number | null;
  student_id: number | null;
  total?: string;
}

const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: new Date(row.at),
  actorKind: row.actor_kind,
  actorId: row.actor_id,
  actorName: row.actor_name,
  requestId: row.request_id,
  clientAddress: row.client_address,
  tableName: row.table_name,
  rowId: row.row_id,
  action: row.action,
  before: row.before,
  after: row.after,
  activityId: row.activity_id,
  studentId: row.student_id,
});

/** The admins' audit browser: newest first, by person (as actor or subject), activity, table and time. */
export async function listAuditLog(em: EntityManager, input: AuditListInput): Promise<Page<AuditEntry>> {
  const conditions: Sql[] = [];
  const { person } = input;
  if (person?.kind === 'student')
    conditions.push(sql`((actor_kind = 'student' and actor_id = ${person.id}) or student_id = ${person.id})`);
  if (person?.kind === 'teacher')
    conditions.push(sql`(actor_kind in ('teacher', 'import') and actor_id = ${person.id})`);
  if (input.activityId !== undefined) conditions.push(sql`activity_id = ${input.activityId}`);
  if (input.tableName !== undefined) conditions.push(sql`table_name = ${input.tableName}`);
  if (input.from) conditions.push(sql`at >= ${input.from}`);
  if (input.to) conditions.push(sql`at < ${input.to}`);
  const rows = await query<AuditRow>(
    em,
    sql`select *, ${TOTAL_COLUMN} from audit_log ${whereAll(conditions)} order by id desc ${pageClause(input)}`,
  );
  return toPage(rows.map(toAuditEntry), rows[0]?.total, input);
}

interface RosterRow {
  id: number;
  at: Date;
  action: AuditEntry['action'];
  student_id: number | null;
  student_name: string | null;
  status: string | null;
  previous_status: string | null;
  actor_kind: AuditActorKind;
  actor_id: number | null;
  actor_name: string | null;
  total?: string;
}

/** An activity's roster changes, newest first: who was added, moved or removed, by whom and when. */
export async function rosterHistory(
  em: EntityManager,
  activityId: number,
  page: PageRequest,
): Promise<Page<RosterEvent>> {
  const rows = await query<RosterRow>(
    em,
    sql`select l.id, l.at, l.action, l.student_id, s.name as student_name,
               coalesce(l.after ->> 'status', l.before ->> 'status') as status,
               case when l.action = 'update' then l.before ->> 'status' end as previous_status,
               l.actor_kind, l.actor_id, l.actor_name, ${TOTAL_COLUMN}
          from audit_log l left join student s on s.id = l.student_id
         where l.activity_id = ${activityId} and l.table_name = 'activity_participant'
           and (l.action <> 'update' or l.after ? 'status')
         order by l.id desc ${pageClause(page)}`,
  );
  return toPage(
    rows.map((row) => ({
      id: row.id,
      at: new Date(row.at),
      change: row.action === 'insert' ? 'added' : row.action === 'delete' ? 'removed' : 'status-changed',
      studentId: row.student_id,
      studentName: row.student_name,
      status: row.status,
      previousStatus: row.previous_status,
      actorKind: row.actor_kind,
      actorName: row.actor_name,
      bySelf: row.actor_kind === 'student' && row.actor_id !== null && row.actor_id === row.student_id,
    })),
    rows[0]?.total,
    page,
  );
}
