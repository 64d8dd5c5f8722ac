// The daily reminders (the queue's schedule runs them once per school day): payments due within 3 days,
// and payments that became overdue. Each is written once per payment (a dedupe key), so a run repeated or
// run by two replicas at once writes nothing twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { NotificationKind } from '@mergington/contract';
import { schoolTimeZone } from '../../env.ts';
import { query, sql } from '../../sql.ts';
import { notify } from './notifications.ts';

/** Today's date where the school is (`YYYY-MM-DD`). */
export const schoolToday = (now = new Date()) =>
  DateTime.fromJSDate(now).setZone(schoolTimeZone()).toISODate()!;

/**
 * Writes the reminders due on `today` (the school's date): a pending payment due within the next 3 days,
 * once; a pending payment past its due date, once. Answers how many were written.
 */
export async function writeDailyReminders(
  em: EntityManager,
  today: string = schoolToday(),
): Promise<{ written: number }> {
  return em.transactional(async (tx) => {
    const rows = await query<{
      id: number;
      student_id: number;
      activity_id: number;
      activity_name: string;
      amount_cents: number;
      description: string;
      due_date: string;
      kind: NotificationKind;
    }>(
      tx,
      sql`select p.id, p.student_id, p.activity_id, a.name as activity_name, p.amount_cents, p.description,
                 to_char(p.due_date, 'YYYY-MM-DD') as due_date,
                 case when p.due_date < ${today}::date then 'payment_overdue' else 'payment_due_soon' end as kind
            from payment p join activity a on a.id = p.activity_id
           where p.status = 'pending' and p.due_date <= ${today}::date + 3
           order by p.id`,
    );
    const written = await notify(
      tx,
      rows.map((row) => ({
        studentId: row.student_id,
        kind: row.kind,
        payload: {
          paymentId: row.id,
          activityId: row.activity_id,
          activityName: row.activity_name,
          amountCents: row.amount_cents,
          description: row.description,
          dueDate: row.due_date,
        },
        dedupeKey: `${row.kind}:${row.id}`,
      })),
    );
    return { written: written.length };
  });
}
