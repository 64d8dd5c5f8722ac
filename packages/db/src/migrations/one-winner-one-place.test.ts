import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/test-database.ts';
import { Migration20261130080000_OneWinnerOnePlace } from './Migration20261130080000_OneWinnerOnePlace.ts';

const { orm } = await useTestDatabase();
const sql = <T extends object = object>(text: string) => orm.em.fork().getConnection().execute<T[]>(text);

/** The statements of one direction of the migration, run on this file's database. */
async function run(direction: 'up' | 'down') {
  const migration = new Migration20261130080000_OneWinnerOnePlace(orm.em.getDriver(), orm.config);
  await migration[direction]();
  for (const statement of migration.getQueries()) await sql(String(statement));
}

describe('migration OneWinnerOnePlace', () => {
  it('keeps the best place of a winner recorded for several, then refuses a second place', async () => {
    await run('down');
    await sql(`insert into student (id, email, name) values (1, 'ann@mergington.edu', 'Ann'),
                                                           (2, 'bo@mergington.edu', 'Bo')`);
    await sql(`insert into activity (id, name, max_participants) values (1, 'Chess Club', 5)`);
    await sql(`insert into activity_group (id, activity_id, name) values (1, 1, 'Knights')`);
    await sql(
      `insert into event (id, activity_id, name, date) values (1, 1, 'Open', now()), (2, 1, 'Cup', now())`,
    );
    await sql(`insert into event_result (event_id, place, student_id, group_id)
               values (1, 1, 1, null), (1, 2, 1, null), (1, 3, 2, null), (1, 4, null, 1), (1, 5, null, 1),
                      (2, 3, 1, null)`);

    await run('up');
    expect(
      await sql(`select event_id, place, student_id, group_id from event_result order by event_id, place`),
    ).toEqual([
      { event_id: 1, place: 1, student_id: 1, group_id: null },
      { event_id: 1, place: 3, student_id: 2, group_id: null },
      { event_id: 1, place: 4, student_id: null, group_id: 1 },
      { event_id: 2, place: 3, student_id: 1, group_id: null },
    ]);
    await expect(
      sql(`insert into event_result (event_id, place, student_id) values (1, 2, 2)`),
    ).rejects.toMatchObject({ constraint: 'event_result_student_once' });
  });
});
