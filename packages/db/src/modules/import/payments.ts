// The import's payments, in bulk (matched by student, activity, description and due date).
import type { ImportDataset, PaymentStatus, StoredPaymentStatus } from '@mergington/contract';
import { pgArray } from '../../sql.ts';
import { activityId, type SchoolLife } from './records.ts';

export async function importPayments(
  { em, activityIds, studentId, counts }: SchoolLife,
  dataset: ImportDataset,
) {
  if (dataset.payments.length > 0) {
    // In bulk: a payment is matched by student, activity, description and due date.
    const activities = await Promise.all(
      dataset.payments.map((payment) => activityId(em, activityIds, payment.activity)),
    );
    const [written] = await em.execute<{ created: number; updated: number }[]>(
      `with input as (
         select * from unnest(?::int[], ?::int[], ?::text[], ?::date[], ?::int[], ?::text[], ?::timestamptz[], ?::text[])
           with ordinality as t(student_id, activity_id, description, due_date, amount_cents, status, payment_date, method, n)
       ), updated as (
         update payment p set amount_cents = i.amount_cents, status = i.status, payment_date = i.payment_date,
                method = i.method, updated_at = now()
           from input i
          where (p.student_id, p.activity_id, p.description) = (i.student_id, i.activity_id, i.description)
            and p.due_date is not distinct from i.due_date
            and (p.amount_cents, p.status, p.payment_date, p.method) is distinct from (i.amount_cents, i.status, i.payment_date, i.method)
         returning p.id
       ), inserted as (
         insert into payment (student_id, activity_id, description, due_date, amount_cents, status, payment_date, method)
         select student_id, activity_id, description, due_date, amount_cents, status, payment_date, method from input i
          where not exists (select 1 from payment p
                             where (p.student_id, p.activity_id, p.description) = (i.student_id, i.activity_id, i.description)
                               and p.due_date is not distinct from i.due_date)
          order by n
         returning id
       )
       select (select count(*)::int from inserted) as created, (select count(*)::int from updated) as updated`,
      [
        pgArray(dataset.payments.map((payment) => studentId(payment.studentEmail))),
        pgArray(activities),
        pgArray(dataset.payments.map((payment) => payment.description)),
        pgArray(dataset.payments.map((payment) => payment.dueDate)),
        pgArray(dataset.payments.map((payment) => payment.amountCents)),
        pgArray(dataset.payments.map((payment) => storedStatus(payment.status))),
        pgArray(dataset.payments.map((payment) => payment.paymentDate?.toISOString() ?? null)),
        pgArray(dataset.payments.map((payment) => payment.method)),
      ],
    );
    counts.payments.created += written!.created;
    counts.payments.updated += written!.updated;
    counts.payments.unchanged += dataset.payments.length - written!.created - written!.updated;
  }
}

/** Overdue is derived from the due date, never stored: an old file's overdue payment is pending. */
const storedStatus = (status: PaymentStatus): StoredPaymentStatus =>
  status === 'overdue' ? 'pending' : status;
