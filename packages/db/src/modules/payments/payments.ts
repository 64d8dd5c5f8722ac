import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type Page,
  type PaymentDto,
  type PaymentListInput,
  type PaymentStatus,
  type StoredPaymentStatus,
} from '@mergington/contract';
import { Activity, Student } from '../../entities/index.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../errors.ts';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql, whereAll } from '../../sql.ts';
import { notify } from '../notifications/notifications.ts';

interface PaymentRow {
  id: number;
  student_id: number;
  student_name: string;
  activity_id: number;
  activity_name: string;
  amount_cents: number;
  status: PaymentStatus;
  description: string;
  due_date: string | null;
  payment_date: Date | null;
  method: string | null;
  created_at: Date;
}

/** Overdue is not stored: a pending payment past its due date is overdue. */
const EFFECTIVE_STATUS = sql`case when p.status = 'pending' and p.due_date < current_date then 'overdue' else p.status end`;

const PAYMENT_COLUMNS = sql`p.id, p.student_id, s.name as student_name, p.activity_id, a.name as activity_name,
         p.amount_cents, ${EFFECTIVE_STATUS} as status, p.description, to_char(p.due_date, 'YYYY-MM-DD') as due_date,
         p.payment_date, p.method, p.created_at`;
const PAYMENT_FROM = sql`from payment p join student s on s.id = p.student_id join activity a on a.id = p.activity_id`;

const toPaymentDto = (row: PaymentRow): PaymentDto => ({
  id: row.id,
  student: { id: row.student_id, name: row.student_name },
  activity: { id: row.activity_id, name: row.activity_name },
  amountCents: row.amount_cents,
  status: row.status,
  description: row.description,
  dueDate: row.due_date,
  paidAt: row.payment_date ? new Date(row.payment_date) : null,
  method: row.method,
  createdAt: new Date(row.created_at),
});

export async function getPayment(em: EntityManager, id: number): Promise<PaymentDto> {
  const [row] = await query<PaymentRow>(
    em,
    sql`select ${PAYMENT_COLUMNS} ${PAYMENT_FROM} where p.id = ${id}`,
  );
  if (!row) throw new NotFoundError('payment', id);
  return toPaymentDto(row);
}

export async function listPayments(em: EntityManager, input: PaymentListInput): Promise<Page<PaymentDto>> {
  const conditions: Sql[] = [];
  if (input.studentId !== undefined) conditions.push(sql`p.student_id = ${input.studentId}`);
  if (input.activityId !== undefined) conditions.push(sql`p.activity_id = ${input.activityId}`);
  if (input.status) conditions.push(sql`${EFFECTIVE_STATUS} = ${input.status}`);
  const rows = await query<PaymentRow & { total: string }>(
    em,
    sql`select ${TOTAL_COLUMN}, ${PAYMENT_COLUMNS} ${PAYMENT_FROM} ${whereAll(conditions)}
         order by p.created_at desc, p.id desc ${pageClause(input)}`,
  );
  return toPage(rows.map(toPaymentDto), rows[0]?.total, input);
}

/** What a student signed up for an activity (enrolled or waitlisted) owes for it. */
export async function createPayment(
  em: EntityManager,
  input: {
    studentId: number;
    activityId: number;
    amountCents: number;
    description: string;
    dueDate: string | null;
  },
): Promise<PaymentDto> {
  const student = await em.findOne(Student, input.studentId, { fields: ['name'] });
  if (!student) throw new NotFoundError('student', input.studentId);
  const activity = await em.findOne(Activity, input.activityId, { fields: ['name'] });
  if (!activity) throw new NotFoundError('activity', input.activityId);
  const [signedUp] = await query(
    em,
    sql`select 1 from activity_participant where activity_id = ${activity.id} and student_id = ${student.id}`,
  );
  if (!signedUp) {
    throw new RuleViolationError(
      `${student.name} is not signed up for ${activity.name}: a payment is recorded only for a student ` +
        'enrolled in the activity or on its waitlist',
    );
  }
  const [row] = await em.execute<{ id: number }[]>(
    `insert into payment (student_id, activity_id, amount_cents, description, due_date) values (?, ?, ?, ?, ?) returning id`,
    [input.studentId, input.activityId, input.amountCents, input.description, input.dueDate],
  );
  return getPayment(em, row!.id);
}

/** Moves a payment from one of `from` to `to`, in one statement; anything else is a conflict that says why. */
async function transition(
  em: EntityManager,
  id: number,
  from: StoredPaymentStatus[],
  to: StoredPaymentStatus,
  set: { paidAt?: Date; method?: string } = {},
): Promise<PaymentDto> {
  const [row] = await query<{ id: number }>(
    em,
    sql`update payment set status = ${to}, payment_date = coalesce(${set.paidAt ?? null}::timestamptz, payment_date),
               method = coalesce(${set.method ?? null}, method), updated_at = now()
         where id = ${id} and status in (${from}) returning id`,
  );
  if (!row) {
    const current = await getPayment(em, id);
    throw new ConflictError(`payment ${id} is ${current.status}: it cannot become ${to}`, 'status');
  }
  return getPayment(em, id);
}

/** Records money received; the student is told in the same transaction. */
export const markPaid = (em: EntityManager, input: { id: number; method: string; paidAt?: Date }) =>
  em.transactional(async (tx) => {
    const payment = await transition(tx, input.id, ['pending'], 'paid', {
      paidAt: input.paidAt ?? new Date(),
      method: input.method,
    });
    await notify(tx, [
      {
        studentId: payment.student.id,
        kind: 'payment_recorded',
        payload: {
          paymentId: payment.id,
          activityId: payment.activity.id,
          activityName: payment.activity.name,
          amountCents: payment.amountCents,
          description: payment.description,
        },
      },
    ]);
    return payment;
  });
export const waivePayment = (em: EntityManager, id: number) => transition(em, id, ['pending'], 'waived');
export const refundPayment = (em: EntityManager, id: number) => transition(em, id, ['paid'], 'refunded');

/** An admin's correction of the amount, description or due date. */
export async function updatePayment(
  em: EntityManager,
  input: { id: number; amountCents?: number; description?: string; dueDate?: string | null },
): Promise<PaymentDto> {
  const [row] = await em.execute<{ id: number }[]>(
    `update payment set amount_cents = coalesce(?, amount_cents), description = coalesce(?, description),
            due_date = case when ? then ?::date else due_date end, updated_at = now()
      where id = ? returning id`,
    [
      input.amountCents ?? null,
      input.description ?? null,
      input.dueDate !== undefined,
      input.dueDate ?? null,
      input.id,
    ],
  );
  if (!row) throw new NotFoundError('payment', input.id);
  return getPayment(em, input.id);
}

export async function deletePayment(em: EntityManager, id: number): Promise<void> {
  const [row] = await em.execute(`delete from payment where id = ? returning id`, [id]);
  if (!row) throw new NotFoundError('payment', id);
}

/** A student's payments, newest first, and what they still owe (pending and overdue). */
export async function myPayments(em: EntityManager, studentId: number) {
  const rows = await query<PaymentRow>(
    em,
    sql`select ${PAYMENT_COLUMNS} ${PAYMENT_FROM} where p.student_id = ${studentId}
         order by p.created_at desc, p.id desc`,
  );
  const items = rows.map(toPaymentDto);
  const balanceCents = items
    .filter((item) => item.status === 'pending' || item.status === 'overdue')
    .reduce((sum, item) => sum + item.amountCents, 0);
  return { items, balanceCents };
}

/** Counts and sums in cents per status, and per activity and status. */
export async function paymentTotals(em: EntityManager) {
  const byStatus = await query<{ status: PaymentStatus; count: number; total: string }>(
    em,
    sql`select ${EFFECTIVE_STATUS} as status, count(*)::int as count, sum(p.amount_cents) as total
          from payment p group by 1 order by 1`,
  );
  const byActivity = await query<{
    id: number;
    name: string;
    status: PaymentStatus;
    count: number;
    total: string;
  }>(
    em,
    sql`select a.id, a.name, ${EFFECTIVE_STATUS} as status, count(*)::int as count, sum(p.amount_cents) as total
          from payment p join activity a on a.id = p.activity_id group by a.id, a.name, 3 order by a.name, 3`,
  );
  return {
    // sum() of integers is a bigint, which pg returns as a string: exact, and a safe integer at school scale.
    byStatus: byStatus.map((row) => ({
      status: row.status,
      count: row.count,
      totalCents: Number(row.total),
    })),
    byActivity: byActivity.map((row) => ({
      activity: { id: row.id, name: row.name },
      status: row.status,
      count: row.count,
      totalCents: Number(row.total),
    })),
  };
}
