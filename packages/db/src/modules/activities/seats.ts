import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Sets every activity's seat counters from its signup rows, after a bulk load that deferred them
 * (`set local mergington.defer_seat_counts = on`). Raw SQL, for the importer's EntityManager and the
 * restore's plain client alike.
 */
export const RECOUNT_SEATS = `
  update activity a set enrolled_count = c.enrolled, waitlist_count = c.waiting
    from (select x.id,
                 count(p.id) filter (where p.status = 'enrolled')::int as enrolled,
                 count(p.id) filter (where p.status = 'waitlisted')::int as waiting
            from activity x left join activity_participant p on p.activity_id = x.id
           group by x.id) c
   where a.id = c.id and (a.enrolled_count, a.waitlist_count) is distinct from (c.enrolled, c.waiting)`;

export async function recountSeats(em: EntityManager): Promise<void> {
  await em.execute(RECOUNT_SEATS);
}
