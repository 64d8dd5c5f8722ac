// The old app's HTTP API (LEGACY_API) over the domain's own operations: its catalogue shape, and signups by
// activity name. The rules (seats, one signup, grades, the waitlist) are those of activities/signups.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type LegacyActivity,
  type LegacyActivityFilters,
  publicName,
  type SignupResultDto,
} from '@mergington/contract';
import { NotFoundError } from '../../errors.ts';
import { query, sql, type Sql, whereAll } from '../../sql.ts';
import {
  addParticipantByEmail,
  removeParticipantByEmail,
  type WithdrawResult,
  type StaffAdd,
} from '../activities/signups.ts';

/**
 * Every activity matching the filters, keyed by name, in the shape the old app's pages parse. Participants
 * are the enrolled students in signup order, as emails, or as names shortened as for any visitor
 * (`publicName`) where the caller may not see students' emails.
 */
export async function legacyCatalogue(
  em: EntityManager,
  filters: LegacyActivityFilters,
  participantsAs: 'email' | 'publicName',
): Promise<Record<string, LegacyActivity>> {
  const rows = await query<LegacyCatalogueRow>(em, legacyCatalogueStatement(filters));
  return Object.fromEntries(
    rows.map((row) => [
      row.name,
      {
        description: row.description,
        schedule: row.schedule,
        ...(row.schedule_days && row.start_time && row.end_time
          ? {
              schedule_details: {
                days: row.schedule_days.map(dayName),
                start_time: row.start_time,
                end_time: row.end_time,
              },
            }
          : {}),
        max_participants: row.max_participants,
        participants: row.participants.map((p) =>
          participantsAs === 'email' ? p.email : publicName(p.name),
        ),
      },
    ]),
  );
}

/**
 * The statement of legacyCatalogue. The filters compare as the later old app did: an activity meets on the
 * day, starts at or after start_time, ends at or before end_time; one without a structured schedule
 * matches no filter.
 */
export function legacyCatalogueStatement(filters: LegacyActivityFilters): Sql {
  const conditions: Sql[] = [];
  if (filters.day) conditions.push(sql`${filters.day.trim().toLowerCase()} = any(a.schedule_days)`);
  if (filters.start_time) conditions.push(sql`to_char(a.start_time, 'HH24:MI') >= ${filters.start_time}`);
  if (filters.end_time) conditions.push(sql`to_char(a.end_time, 'HH24:MI') <= ${filters.end_time}`);
  return sql`select a.name, a.description, a.schedule, a.max_participants, a.schedule_days,
                    to_char(a.start_time, 'HH24:MI') as start_time, to_char(a.end_time, 'HH24:MI') as end_time,
                    coalesce(json_agg(json_build_object('email', s.email, 'name', s.name) order by p.id)
                               filter (where p.id is not null), '[]') as participants
               from activity a
               left join activity_participant p on p.activity_id = a.id and p.status = 'enrolled'
               left join student s on s.id = p.student_id
               ${whereAll(conditions)}
              group by a.id
              order by a.id`;
}

/** A row of legacyCatalogue (row-types.test.ts checks it against the statement). */
export interface LegacyCatalogueRow {
  name: string;
  description: string;
  schedule: string;
  max_participants: number;
  schedule_days: string[] | null;
  start_time: string | null;
  end_time: string | null;
  participants: { email: string; name: string }[];
}

/** The days any activity meets on, as the old app listed them: "Friday", "Monday", ... (sorted by name). */
export async function legacyDays(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ day: string }[]>(
    `select distinct unnest(schedule_days) as day from activity`,
  );
  return rows.map((row) => dayName(row.day)).sort();
}

/**
 * Signs the owner of an email up for the activity of that name (activities/signups.ts's rules). In `open`
 * mode anyone may type an email, so the student's notification does not say a teacher did it. `staff` when a
 * teacher calls (a signup round's window does not apply to them).
 */
export async function signUpByActivityName(
  em: EntityManager,
  activityName: string,
  email: string,
  mode: 'open' | 'teachers',
  staff?: StaffAdd,
): Promise<SignupResultDto> {
  const activityId = await activityIdByName(em, activityName);
  // `open` keeps the first version's contract, which had no waitlist: a full activity refuses.
  return mode === 'open'
    ? addParticipantByEmail(em, activityId, email, 'refuse', 'student')
    : addParticipantByEmail(em, activityId, email, 'waitlist', 'teacher', staff);
}

/** Withdraws the owner of an email from the activity of that name; the first in line takes the seat. */
export async function unregisterByActivityName(
  em: EntityManager,
  activityName: string,
  email: string,
  mode: 'open' | 'teachers',
): Promise<WithdrawResult> {
  const by = mode === 'open' ? 'student' : 'teacher';
  return removeParticipantByEmail(em, await activityIdByName(em, activityName), email, by);
}

/** Names are the old app's keys: matched exactly, as its dictionary did. */
async function activityIdByName(em: EntityManager, name: string): Promise<number> {
  const [row] = await em.execute<{ id: number }[]>(`select id from activity where name = ?`, [name]);
  if (!row) throw new NotFoundError('activity', name);
  return row.id;
}

/** "monday" -> "Monday", as the old data wrote days. */
const dayName = (day: string) => day.charAt(0).toUpperCase() + day.slice(1);
