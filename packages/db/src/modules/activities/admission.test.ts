import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { query, sql } from '../../sql.ts';
import { getActivity } from './activities.ts';
import { joinsAs, joinsAsSql } from './admission.ts';
import { signUp } from './signups.ts';

const { orm } = await useTestDatabase();

// Every case of the rule: seats free or not, people in line or not, and an activity lowered below those enrolled.
const cases = [
  { enrolled: 0, waiting: 0, max: 2 },
  { enrolled: 1, waiting: 0, max: 2 },
  { enrolled: 2, waiting: 0, max: 2 },
  { enrolled: 1, waiting: 1, max: 2 },
  { enrolled: 2, waiting: 3, max: 2 },
  { enrolled: 3, waiting: 0, max: 2 },
];

describe('who joins as enrolled and who joins the waitlist', () => {
  it.each(cases)('the importer and SQL agree for %o', async (seats) => {
    const [row] = await query<{ joins_as: string }>(
      orm.em.fork(),
      sql`select ${joinsAsSql('a')} as joins_as
            from (select ${seats.enrolled}::int as enrolled_count, ${seats.waiting}::int as waitlist_count,
                         ${seats.max}::int as max_participants) a`,
    );
    expect(row!.joins_as).toBe(joinsAs(seats));
  });

  it('an activity with a free seat and people in line says a newcomer joins the waitlist, as signing up does', async () => {
    const em = orm.em.fork();
    const [activity] = await em.execute<{ id: number }[]>(
      `insert into activity (name, max_participants) values ('Admission', 1) returning id`,
    );
    const students = await em.execute<{ id: number }[]>(
      `insert into student (email, name) select 'admission' || n || '@mergington.edu', 'Student ' || n
         from generate_series(1, 3) n returning id`,
    );
    const [first, second, third] = students.map((student) => student.id);
    expect((await getActivity(em, activity!.id)).joinsAs).toBe('enrolled');
    await signUp(em, first!, activity!.id);
    await signUp(em, second!, activity!.id); // waitlisted
    // A seat frees while someone waits (capacity raised without the waitlist promoted yet).
    await em.execute(`update activity set max_participants = 2 where id = ?`, [activity!.id]);
    const shown = await getActivity(em, activity!.id);
    expect(shown.spotsLeft).toBe(1);
    expect(shown.joinsAs).toBe('waitlisted');
    expect((await signUp(em, third!, activity!.id)).status).toBe(shown.joinsAs);
  });
});
