// The daily reminders (the queue's schedule runs them once per school day): payments due within 3 days,
// payments that became overdue, signup rounds opening before the next run, rounds that closed. Each is
// written once (a dedupe key), so a run repeated or run by two replicas at once writes nothing twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { NotificationKind, RoundMode } from '@mergington/contract';
import { schoolTimeZone } from '../../env.ts';
import { query, sql } from '../../sql.ts';
import { spokenSchoolTime } from '../rounds/rounds.ts';
import { type Notice, notify } from './notifications.ts';

/** Today's date where the school is (`YYYY-MM-DD`). */
export const schoolToday = (now = new Date()) =>
  DateTime.fromJSDate(now).setZone(schoolTimeZone()).toISODate()!;

/**
 * How far back a run looks for closed rounds: past a weekend and a few missed runs, but a first run on an
 * old database does not tell students of rounds that closed long ago.
 */
const CLOSED_LOOKBACK_DAYS = 7;

/**
 * Writes the reminders due at `now`: a pending payment due within the next 3 days (the school's dates),
 * once; a pending payment past its due date, once; a round opening from now to the end of the next school
 * day, once per student and opening time; a round closed in the last week, once per student. Answers how
 * many were written.
 */
export async function writeDailyReminders(
  em: EntityManager,
  now: Date = new Date(),
): Promise<{ written: number }> {
  return em.transactional(async (tx) => {
    const notices = [
      ...(await paymentReminders(tx, schoolToday(now))),
      ...(await roundsOpening(tx, now)),
      ...(await roundsClosed(tx, now)),
    ];
    return { written: (await notify(tx, notices)).length };
  });
}

async function paymentReminders(em: EntityManager, today: string): Promise<Notice[]> {
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
    em,
    sql`select p.id, p.student_id, p.activity_id, a.name as activity_name, p.amount_cents, p.description,
               to_char(p.due_date, 'YYYY-MM-DD') as due_date,
               case when p.due_date < ${today}::date then 'payment_overdue' else 'payment_due_soon' end as kind
          from payment p join activity a on a.id = p.activity_id
         where p.status = 'pending' and p.due_date <= ${today}::date + 3
         order by p.id`,
  );
  return rows.map((row) => ({
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
  }));
}

interface RoundStudentRow {
  round_id: number;
  name: string;
  mode: RoundMode;
  at: Date;
  student_id: number;
}

/**
 * The runs are on school days only: Friday's tells of the rounds opening on Saturday, Sunday and Monday.
 * Who can take part: a student whose grade one of the round's activities (not cancelled) admits. The key
 * holds the opening instant, so a round moved to another time is told again, with its new time.
 */
async function roundsOpening(em: EntityManager, now: Date): Promise<Notice[]> {
  const today = DateTime.fromJSDate(now).setZone(schoolTimeZone()).startOf('day');
  const nextSchoolDay = today.plus({ days: today.weekday === 5 ? 3 : today.weekday === 6 ? 2 : 1 });
  const rows = await query<RoundStudentRow>(
    em,
    sql`select r.id as round_id, r.name, r.mode, r.opens_at as at, s.id as student_id
          from signup_round r
          join student s on exists (
                 select 1 from signup_round_activity ra join activity a on a.id = ra.activity_id
                  where ra.round_id = r.id and ra.cancelled_at is null
                    and (a.allowed_grades is null or s.grade = any(a.allowed_grades)))
         where r.opens_at > ${now} and r.opens_at < ${nextSchoolDay.plus({ days: 1 }).toJSDate()}
         order by r.id, s.id`,
  );
  return rows.map((row) => {
    const at = new Date(row.at);
    return {
      studentId: row.student_id,
      kind: 'round_opening',
      payload: {
        roundId: row.round_id,
        roundName: row.name,
        roundMode: row.mode,
        roundWhen: spokenSchoolTime(at),
      },
      dedupeKey: `round_opening:${row.round_id}:${at.toISOString()}`,
    };
  });
}

/**
 * A round that closed since the runs began looking back: to the students who ranked (lottery) or hold a
 * place or a place in line in it (first come). A lottery published before it closed is left out: its
 * results told them more. A closing time moved later before it came tells nothing until the new one.
 */
async function roundsClosed(em: EntityManager, now: Date): Promise<Notice[]> {
  const rows = await query<RoundStudentRow>(
    em,
    sql`select r.id as round_id, r.name, r.mode, r.closes_at as at, took_part.student_id
          from signup_round r
          join lateral (
                 select student_id from round_ranking where round_id = r.id and r.mode = 'lottery'
                 union
                 select p.student_id from activity_participant p
                   join signup_round_activity ra on ra.activity_id = p.activity_id
                  where ra.round_id = r.id and r.mode = 'first_come'
                 union
                 select student_id from opening_draw_entry where round_id = r.id
               ) took_part on true
         where r.closes_at <= ${now}
           and r.closes_at > ${now}::timestamptz - make_interval(days => ${CLOSED_LOOKBACK_DAYS})
           and not (r.mode = 'lottery' and r.published_at is not null)
         order by r.id, took_part.student_id`,
  );
  return rows.map((row) => ({
    studentId: row.student_id,
    kind: 'round_closed',
    payload: {
      roundId: row.round_id,
      roundName: row.name,
      roundMode: row.mode,
      roundWhen: spokenSchoolTime(new Date(row.at)),
    },
    dedupeKey: `round_closed:${row.round_id}`,
  }));
}
