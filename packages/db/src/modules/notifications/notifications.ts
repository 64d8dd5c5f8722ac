import type { EntityManager } from '@mikro-orm/postgresql';
import {
  NOTIFICATION_KIND_NAMES,
  NOTIFICATION_KINDS,
  type NotificationDto,
  type NotificationKind,
  type NotificationListInput,
  type NotificationPayload,
  type NotificationPreferenceDto,
  type Page,
} from '@mergington/contract';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { enqueueEmails } from '../../queue.ts';
import { pgArray, query, sql } from '../../sql.ts';
import { describe } from './messages.ts';

/**
 * Something to tell a student. A `dedupeKey` makes it once per student and key (reminders). A payload
 * with an `activityId` gets the activity's name as it is now, unless it names it.
 */
export interface Notice {
  studentId: number;
  kind: NotificationKind;
  payload: NotificationPayload;
  dedupeKey?: string;
}

/** A SQL array of the kinds that pass `test` (the kinds are the code's constants, so they are written in). */
const kindsWhere = (test: (kind: (typeof NOTIFICATION_KINDS)[NotificationKind]) => boolean) =>
  `array[${NOTIFICATION_KIND_NAMES.filter((kind) => test(NOTIFICATION_KINDS[kind]))
    .map((kind) => `'${kind}'`)
    .join(', ')}]::text[]`;

/**
 * Whether a notice of kind `kind` goes by email, given the student's preference row `pref` (left joined,
 * so null when they chose nothing): always for a kind they cannot turn off, else as they chose, else the
 * kind's default.
 */
const emailWantedSql = (kind: string, pref: string) =>
  `(${kind} = any(${kindsWhere((k) => !k.optional)})
    or coalesce(${pref}.email, ${kind} = any(${kindsWhere((k) => k.emailByDefault)})))`;

/**
 * The insert of the notices `source` selects (columns student_id, kind, payload, dedupe_key), answering
 * `id, email_status`: a payload with an `activityId` gets the activity's name as it is now unless it names
 * it, an email is due where emailWantedSql says so, and a dedupe key used already skips the notice. notify
 * runs it and queues the emails in the same transaction; the signup statement runs it inside itself, where
 * no transaction is open to queue them in (`queueLater`): its emails are left for queueWaitingEmails.
 */
export const insertNoticesSql = (source: string, { queueLater = false } = {}) =>
  `insert into notification (student_id, kind, payload, dedupe_key, email_status${queueLater ? ', email_queued' : ''})
        select n.student_id, n.kind,
               n.payload || jsonb_strip_nulls(jsonb_build_object('activityName', coalesce(n.payload->>'activityName', a.name))),
               n.dedupe_key,
               case when email.wanted then 'pending' else 'off' end${queueLater ? ', not email.wanted' : ''}
          from (${source}) as n
          left join activity a on a.id = (n.payload->>'activityId')::int
          left join notification_preference pref on pref.student_id = n.student_id and pref.kind = n.kind
          cross join lateral (select ${emailWantedSql('n.kind', 'pref')} as wanted) as email
        on conflict (student_id, dedupe_key) do nothing
        returning id, email_status`;

/**
 * Writes notifications, and queues the email of each one whose student wants it, in the transaction of
 * `em`: the caller's change, its notifications and their email jobs commit together or not at all. Notices
 * whose dedupe key was used already are skipped. Answers the ids written.
 */
export async function notify(em: EntityManager, notices: readonly Notice[]): Promise<number[]> {
  if (!notices.length) return [];
  const rows = await em.execute<{ id: number; email_status: string }[]>(
    insertNoticesSql(
      `select * from unnest(?::int[], ?::text[], ?::jsonb[], ?::text[]) as n(student_id, kind, payload, dedupe_key)`,
    ),
    [
      pgArray(notices.map((notice) => notice.studentId)),
      pgArray(notices.map((notice) => notice.kind)),
      pgArray(notices.map((notice) => JSON.stringify(notice.payload))),
      pgArray(notices.map((notice) => notice.dedupeKey ?? null)),
    ],
  );
  await enqueueEmails(
    em,
    rows.filter((row) => row.email_status === 'pending').map((row) => row.id),
  );
  return rows.map((row) => row.id);
}

/** A notice for each student of an activity (enrolled or waitlisted): "one of my activities". */
export async function activityMembers(
  em: EntityManager,
  activityId: number,
  notice: (studentId: number, activityName: string) => Notice,
): Promise<Notice[]> {
  const rows = await query<{ student_id: number; name: string }>(
    em,
    sql`select p.student_id, a.name from activity_participant p join activity a on a.id = p.activity_id
         where p.activity_id = ${activityId} order by p.id`,
  );
  return rows.map((row) => notice(row.student_id, row.name));
}

interface NotificationRow {
  id: number;
  kind: NotificationKind;
  payload: NotificationPayload;
  created_at: Date;
  read_at: Date | null;
  total: string;
}

/** A student's notifications, newest first. */
export async function listNotifications(
  em: EntityManager,
  studentId: number,
  input: NotificationListInput,
): Promise<Page<NotificationDto>> {
  const unread = input.unreadOnly ? sql`and read_at is null` : sql``;
  const kind = input.kind ? sql`and kind = ${input.kind}` : sql``;
  const rows = await query<NotificationRow>(
    em,
    sql`select id, kind, payload, created_at, read_at, ${TOTAL_COLUMN}
          from notification where student_id = ${studentId} ${unread} ${kind}
         order by id desc ${pageClause(input)}`,
  );
  const items = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    ...describe(row.kind, row.payload),
    activityName: row.payload.activityName ?? null,
    createdAt: new Date(row.created_at),
    readAt: row.read_at && new Date(row.read_at),
  }));
  return toPage(items, rows[0]?.total, input);
}

export async function unreadCount(em: EntityManager, studentId: number): Promise<{ unread: number }> {
  const [row] = await query<{ unread: number }>(
    em,
    sql`select count(*)::int as unread from notification where student_id = ${studentId} and read_at is null`,
  );
  return { unread: row?.unread ?? 0 };
}

/** Marks one of the student's notifications read (again: no change). */
export async function markRead(em: EntityManager, studentId: number, id: number): Promise<{ id: number }> {
  const rows = await query<{ id: number }>(
    em,
    sql`update notification set read_at = coalesce(read_at, now())
         where id = ${id} and student_id = ${studentId} returning id`,
  );
  if (!rows.length) throw new NotFoundError('notification', id);
  return { id };
}

export async function markAllRead(em: EntityManager, studentId: number): Promise<{ marked: number }> {
  const rows = await query<{ id: number }>(
    em,
    sql`update notification set read_at = now() where student_id = ${studentId} and read_at is null returning id`,
  );
  return { marked: rows.length };
}

/** Email on or off for every kind: the student's choice, else the kind's default. */
export async function preferences(
  em: EntityManager,
  studentId: number,
): Promise<NotificationPreferenceDto[]> {
  const rows = await query<{ kind: NotificationKind; email: boolean }>(
    em,
    sql`select kind, email from notification_preference where student_id = ${studentId}`,
  );
  const chosen = new Map(rows.map((row) => [row.kind, row.email]));
  return NOTIFICATION_KIND_NAMES.map((kind) => {
    const { label, emailByDefault, optional } = NOTIFICATION_KINDS[kind];
    return { kind, label, optional, email: optional ? (chosen.get(kind) ?? emailByDefault) : true };
  });
}

/** Turns a kind's email on or off; the kinds that are always emailed cannot be turned off. */
export async function setPreference(
  em: EntityManager,
  studentId: number,
  input: { kind: NotificationKind; email: boolean },
): Promise<NotificationPreferenceDto[]> {
  if (!NOTIFICATION_KINDS[input.kind].optional && !input.email) {
    throw new RuleViolationError(`${NOTIFICATION_KINDS[input.kind].label} emails cannot be turned off`);
  }
  await query(
    em,
    sql`insert into notification_preference (student_id, kind, email) values (${studentId}, ${input.kind}, ${input.email})
        on conflict (student_id, kind) do update set email = excluded.email`,
  );
  return preferences(em, studentId);
}
