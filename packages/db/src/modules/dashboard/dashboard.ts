import type { EntityManager } from '@mikro-orm/postgresql';
import { paymentTotals } from '../payments/payments.ts';
import { type DashboardDto } from '@mergington/contract';

/** What an admin sees first: how many, how full, and what is owed. */
export async function dashboard(em: EntityManager): Promise<DashboardDto> {
  const [counts] = await em.execute<DashboardDto['counts'][]>(
    `select (select count(*)::int from student) as students,
            (select count(*)::int from teacher) as teachers,
            (select count(*)::int from activity) as activities,
            (select coalesce(sum(enrolled_count), 0)::int from activity) as enrolled,
            (select coalesce(sum(waitlist_count), 0)::int from activity) as waitlisted,
            (select count(*)::int from activity_group) as groups,
            (select count(*)::int from event where date >= now()) as "upcomingEvents"`,
  );
  const fill = await em.execute<DashboardDto['fill']>(
    `select id, name, enrolled_count as "enrolledCount", max_participants as "maxParticipants",
            waitlist_count as "waitlistCount"
       from activity order by enrolled_count::float / max_participants desc, name`,
  );
  const { byStatus } = await paymentTotals(em);
  return { counts: counts!, fill, payments: byStatus };
}
