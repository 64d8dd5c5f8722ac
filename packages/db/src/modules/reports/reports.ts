import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExportRequest } from '@mergington/contract';
import { schoolTimeZone } from '../../env.ts';
import { sql, type Sql, whereAll } from '../../sql.ts';

/** How a column's values read: a spreadsheet shows dates as dates, money and rates as numbers. */
export type ReportColumnType = 'text' | 'integer' | 'datetime' | 'date' | 'money' | 'percent';
export interface ReportColumn {
  key: string;
  header: string;
  type: ReportColumnType;
}
/** A cell: text, a number, a Date (datetime and date columns), or empty. */
export type ReportCell = string | number | Date | null;

interface ReportDefinition {
  columns: ReportColumn[];
  rows: Sql;
  /** The report's totals (label, count, amount_cents), read after the rows in the same snapshot. */
  totals?: Sql;
}

const column = (key: string, header: string, type: ReportColumnType = 'text'): ReportColumn => ({
  key,
  header,
  type,
});

/** Overdue is derived, as in payments.ts: pending past its due date. */
const PAYMENT_STATUS = sql`case when p.status = 'pending' and p.due_date < current_date then 'overdue' else p.status end`;

function definition(request: ExportRequest): ReportDefinition {
  switch (request.report) {
    case 'rosters':
      // Enrolled first, then the waitlist in its order (the signup's id is its place in the queue).
      return {
        columns: [
          column('activity', 'Activity'),
          column('status', 'Status'),
          column('waitlist_position', 'Waitlist position', 'integer'),
          column('student', 'Student'),
          column('email', 'Email'),
          column('grade', 'Grade', 'integer'),
          column('signed_up_at', 'Signed up at', 'datetime'),
        ],
        rows: sql`select a.name as activity, p.status,
                         case when p.status = 'waitlisted'
                              then row_number() over (partition by p.activity_id, p.status order by p.id) end
                           as waitlist_position,
                         s.name as student, s.email, s.grade, p.signup_date as signed_up_at
                    from activity_participant p
                    join activity a on a.id = p.activity_id
                    join student s on s.id = p.student_id
                    ${whereAll(request.activityId ? [sql`p.activity_id = ${request.activityId}`] : [])}
                   order by a.name, a.id, p.status = 'waitlisted', p.id`,
      };
    case 'payments': {
      const conditions: Sql[] = [];
      if (request.status) conditions.push(sql`${PAYMENT_STATUS} = ${request.status}`);
      if (request.from) conditions.push(sql`p.created_at >= ${request.from}::date`);
      if (request.to) conditions.push(sql`p.created_at < ${request.to}::date + 1`);
      if (request.activityId) conditions.push(sql`p.activity_id = ${request.activityId}`);
      const from = sql`from payment p join student s on s.id = p.student_id join activity a on a.id = p.activity_id
                       ${whereAll(conditions)}`;
      return {
        columns: [
          column('id', 'Payment', 'integer'),
          column('recorded_at', 'Recorded at', 'datetime'),
          column('student', 'Student'),
          column('email', 'Email'),
          column('activity', 'Activity'),
          column('description', 'Description'),
          column('status', 'Status'),
          column('amount', 'Amount', 'money'),
          column('due_date', 'Due', 'date'),
          column('paid_at', 'Paid at', 'datetime'),
          column('method', 'Method'),
        ],
        rows: sql`select p.id, p.created_at as recorded_at, s.name as student, s.email, a.name as activity,
                         p.description, ${PAYMENT_STATUS} as status, p.amount_cents, p.due_date,
                         p.payment_date as paid_at, p.method
                    ${from} order by p.created_at, p.id`,
        // One total per status, then all of them.
        totals: sql`select case when grouping(${PAYMENT_STATUS}) = 1 then 'Total'
                                else 'Total ' || ${PAYMENT_STATUS} end as label,
                           count(*)::int as count, coalesce(sum(p.amount_cents), 0)::bigint as amount_cents
                      ${from}
                     group by rollup (${PAYMENT_STATUS})
                     order by grouping(${PAYMENT_STATUS}), 1`,
      };
    }
    case 'no-activity':
      return {
        columns: [
          column('id', 'Student', 'integer'),
          column('name', 'Name'),
          column('email', 'Email'),
          column('grade', 'Grade', 'integer'),
          column('registered_at', 'Registered at', 'datetime'),
        ],
        rows: sql`select s.id, s.name, s.email, s.grade, s.created_at as registered_at
                    from student s
                   where not exists (select 1 from activity_participant p where p.student_id = s.id)
                         ${request.grade ? sql`and s.grade = ${request.grade}` : sql``}
                   order by s.name, s.id`,
      };
    case 'fill-rates':
      return {
        columns: [
          column('activity', 'Activity'),
          column('category', 'Category'),
          column('seats', 'Seats', 'integer'),
          column('enrolled', 'Enrolled', 'integer'),
          column('waitlisted', 'Waitlisted', 'integer'),
          column('spots_left', 'Spots left', 'integer'),
          column('fill_rate', 'Fill rate', 'percent'),
        ],
        rows: sql`select a.name as activity, a.category, a.max_participants as seats, a.enrolled_count as enrolled,
                         a.waitlist_count as waitlisted,
                         greatest(a.max_participants - a.enrolled_count, 0) as spots_left,
                         round(a.enrolled_count::numeric / a.max_participants, 4)::float8 as fill_rate
                    from activity a
                    ${whereAll(request.category ? [sql`a.category = ${request.category}`] : [])}
                   order by a.name, a.id`,
      };
    case 'attendance': {
      // A meeting's day is the school's (SCHOOL_TIME_ZONE), as the roll call shows it.
      const day = sql`(m.starts_at at time zone ${schoolTimeZone()})::date`;
      const conditions: Sql[] = [];
      if (request.activityId) conditions.push(sql`m.activity_id = ${request.activityId}`);
      if (request.from) conditions.push(sql`${day} >= ${request.from}::date`);
      if (request.to) conditions.push(sql`${day} <= ${request.to}::date`);
      return {
        columns: [
          column('activity', 'Activity'),
          column('meeting_day', 'Meeting day', 'date'),
          column('starts_at', 'Starts at', 'datetime'),
          column('cancelled', 'Cancelled'),
          column('student', 'Student'),
          column('email', 'Email'),
          column('status', 'Status'),
          column('note', 'Note'),
          column('source', 'Recorded by'),
          column('recorded_at', 'Recorded at', 'datetime'),
        ],
        rows: sql`select a.name as activity, to_char(${day}, 'YYYY-MM-DD') as meeting_day, m.starts_at,
                         case when m.cancelled then 'yes' else '' end as cancelled,
                         s.name as student, s.email, r.status, r.note,
                         case r.source when 'check_in' then 'check-in' else 'roll call' end as source,
                         r.recorded_at
                    from attendance r
                    join meeting m on m.id = r.meeting_id
                    join activity a on a.id = m.activity_id
                    join student s on s.id = r.student_id
                    ${whereAll(conditions)}
                   order by a.name, a.id, m.starts_at, m.id, s.name, s.id`,
      };
    }
  }
}

export function reportColumns(request: ExportRequest): ReportColumn[] {
  return definition(request).columns;
}

/** A row as cells in the columns' order: money in currency units, dates as Dates. */
function cellsOf(row: Record<string, unknown>, columns: ReportColumn[]): ReportCell[] {
  return columns.map(({ key, type }) => {
    if (type === 'money') return row.amount_cents === null ? null : Number(row.amount_cents) / 100;
    const value = row[key];
    if (value === null || value === undefined) return null;
    if (type === 'date') return value instanceof Date ? value : new Date(`${String(value)}T00:00:00Z`);
    if (type === 'datetime') return value instanceof Date ? value : new Date(String(value));
    if (type === 'integer' || type === 'percent') return Number(value);
    return String(value);
  });
}

/**
 * A report's rows in batches, read through a server-side cursor in one REPEATABLE READ, READ ONLY
 * transaction: memory holds one batch whatever the report's size, and the totals (payments) come from the
 * same snapshot as the rows. Stopping early (return(), a closed download) rolls the transaction back.
 */
export async function* streamReport(
  em: EntityManager,
  request: ExportRequest,
  batchSize = 2000,
): AsyncGenerator<ReportCell[][]> {
  const { columns, rows, totals } = definition(request);
  const tx = em.fork();
  await tx.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  const run = <T>(statement: string, values: readonly unknown[] = []) =>
    tx.getConnection().execute<T[]>(statement, [...values], 'all', tx.getTransactionContext());
  try {
    await run(`set local statement_timeout = 0`);
    await run(`declare report_rows no scroll cursor for ${rows.text}`, rows.values);
    for (;;) {
      const batch = await run<Record<string, unknown>>(`fetch ${batchSize} from report_rows`);
      if (!batch.length) break;
      yield batch.map((row) => cellsOf(row, columns));
    }
    if (totals) {
      const totalRows = await run<{ label: string; count: number; amount_cents: string }>(
        totals.text,
        totals.values,
      );
      // Under the rows: the status column names the total and its count, the amount column sums it.
      const status = columns.findIndex((c) => c.key === 'status');
      const amount = columns.findIndex((c) => c.type === 'money');
      yield totalRows.map((row) =>
        columns.map((_, index) =>
          index === status
            ? `${row.label}: ${row.count} payment${row.count === 1 ? '' : 's'}`
            : index === amount
              ? Number(row.amount_cents) / 100
              : null,
        ),
      );
    }
  } finally {
    await tx.rollback();
  }
}
