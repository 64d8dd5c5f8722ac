// Who may join a full activity: the admission rule, in one place.
import type { ParticipantStatus } from '@mergington/contract';
import { Sql } from '../../sql.ts';

/** An activity's seats as its counters hold them. */
export interface SeatCounts {
  enrolled: number;
  waiting: number;
  max: number;
}

/**
 * A student who joins now is enrolled while a seat is free and nobody waits; otherwise they join the end of
 * the waitlist (a free seat with people in line is theirs: they are about to be promoted). The importer
 * applies it to the seats it counts; SQL reads and the signup statement use joinsAsSql, which says the
 * same (admission.test.ts checks that they agree).
 */
export function joinsAs(seats: SeatCounts): ParticipantStatus {
  return seats.enrolled < seats.max && seats.waiting === 0 ? 'enrolled' : 'waitlisted';
}

/** joinsAs in SQL, of the activity row named `activity` in the statement. */
export function joinsAsSql(activity: 'a' | 'target'): Sql {
  return new Sql(
    `case when ${activity}.enrolled_count < ${activity}.max_participants and ${activity}.waitlist_count = 0 ` +
      `then 'enrolled' else 'waitlisted' end`,
    [],
  );
}
