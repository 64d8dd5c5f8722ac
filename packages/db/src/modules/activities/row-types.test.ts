import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { query } from '../../sql.ts';
import { hashToken } from '../accounts/accounts.ts';
import { legacyCatalogueStatement, type LegacyCatalogueRow } from '../legacy/legacy.ts';
import { type ActivityRow, activityListStatement } from './activities.ts';
import {
  type CheckedRoundSignupRow,
  participantListStatement,
  type ParticipantRow,
  type QuickSignupRow,
  ROUND_CHECKED_SIGNUP_STATEMENT,
  ROUND_SELF_SIGNUP_STATEMENT,
  ROUND_SIGNUP_STATEMENT,
  SIGNUP_STATEMENT,
  type SignupRow,
} from './signups.ts';

// Hand-written statements and the row types the code reads them with. Each list names every key of its
// row type exactly once (a key added to or renamed in the type fails typecheck here), and each test
// compares it with the columns the statement really answers (a column renamed in the SQL fails here).
const signupColumns: Record<keyof SignupRow, true> = {
  caller: true,
  caller_student_id: true,
  student_id: true,
  student_name: true,
  grade: true,
  must_change_password: true,
  name: true,
  allowed_grades: true,
  participant_id: true,
  status: true,
  waitlist_position: true,
  round_id: true,
};
const quickSignupColumns: Record<keyof QuickSignupRow, true> = {
  ...signupColumns,
  overlaps: true,
};
const checkedRoundSignupColumns: Record<keyof CheckedRoundSignupRow, true> = {
  ...(({ round_id: _, ...columns }) => columns)(quickSignupColumns),
  held: true,
  held_id: true,
  results_at: true,
};
const activityColumns: Record<keyof ActivityRow | 'total', true> = {
  total: true,
  id: true,
  name: true,
  description: true,
  schedule: true,
  schedule_days: true,
  start_time: true,
  end_time: true,
  term_starts_on: true,
  term_ends_on: true,
  category: true,
  allowed_grades: true,
  max_participants: true,
  enrolled_count: true,
  waitlist_count: true,
  min_group_size: true,
  max_group_size: true,
  version: true,
  average: true,
  rating_count: true,
  joins_as: true,
  my_status: true,
  my_position: true,
  my_grade: true,
};
const participantColumns: Record<keyof ParticipantRow, true> = {
  student_id: true,
  email: true,
  name: true,
  grade: true,
  status: true,
  position: true,
  signup_date: true,
  total: true,
};
const legacyCatalogueColumns: Record<keyof LegacyCatalogueRow, true> = {
  name: true,
  description: true,
  schedule: true,
  max_participants: true,
  schedule_days: true,
  start_time: true,
  end_time: true,
  participants: true,
};

const { orm } = await useTestDatabase();
const keys = (row: object | undefined) => Object.keys(row ?? {}).sort();

describe('the row types of hand-written SQL match what the statements answer', () => {
  it('the signup statement', async () => {
    const em = orm.em.fork();
    const [activity] = await em.execute<{ id: number }[]>(
      `insert into activity (name, max_participants) values ('Row types', 5) returning id`,
    );
    const [student] = await em.execute<{ id: number }[]>(
      `insert into student (email, name, grade) values ('row.types@mergington.edu', 'Row Types', 10) returning id`,
    );
    await em.execute(
      `insert into session (token_hash, student_id, expires_at) values (?, ?, now() + interval '1 hour')`,
      [hashToken('row types'), student!.id],
    );
    const session = ['row types', '127.0.0.1', hashToken('row types')];
    const [row] = await em.execute<QuickSignupRow[]>(SIGNUP_STATEMENT, [...session, activity!.id]);
    expect(row).toMatchObject({ caller: 'student', student_id: student!.id, status: 'enrolled' });
    expect(keys(row)).toEqual(Object.keys(quickSignupColumns).sort());
    // A round's signup answers the same row but for the round (which it is run for).
    await em.execute(`delete from activity_participant where student_id = ?`, [student!.id]);
    const [roundRow] = await em.execute<SignupRow[]>(ROUND_SIGNUP_STATEMENT, [
      student!.id,
      activity!.id,
      new Date(),
    ]);
    expect(roundRow).toMatchObject({ caller: 'student', student_id: student!.id, status: 'enrolled' });
    await em.execute(`delete from activity_participant where student_id = ?`, [student!.id]);
    const [selfRow] = await em.execute<QuickSignupRow[]>(ROUND_SELF_SIGNUP_STATEMENT, [
      student!.id,
      activity!.id,
      new Date(),
    ]);
    expect(selfRow).toMatchObject({ student_id: student!.id, status: 'enrolled', overlaps: [] });
    expect(keys(selfRow)).toEqual(
      Object.keys(quickSignupColumns)
        .filter((key) => key !== 'round_id')
        .sort(),
    );
    expect(keys(roundRow)).toEqual(
      Object.keys(signupColumns)
        .filter((key) => key !== 'round_id')
        .sort(),
    );
    // A student's own signup in an open first-come round, which the database function checks.
    await em.execute(`delete from activity_participant where student_id = ?`, [student!.id]);
    await em.execute(
      `with round as (
         insert into signup_round (name, mode, opens_at, closes_at)
         values ('Row types round', 'first_come', now() - interval '1 hour', now() + interval '1 hour')
         returning id
       )
       insert into signup_round_activity (round_id, activity_id) select id, ? from round`,
      [activity!.id],
    );
    const [checkedRow] = await em.execute<CheckedRoundSignupRow[]>(ROUND_CHECKED_SIGNUP_STATEMENT, [
      hashToken('row types'),
      activity!.id,
      'row types',
      '127.0.0.1',
      activity!.id,
    ]);
    expect(checkedRow).toMatchObject({ student_id: student!.id, status: 'enrolled', held: false });
    expect(keys(checkedRow)).toEqual(Object.keys(checkedRoundSignupColumns).sort());
    await em.execute(`delete from signup_round_activity where activity_id = ?`, [activity!.id]);
  });

  it('the activity reads, for anyone and for a signed-in student', async () => {
    const [row] = await query<ActivityRow>(orm.em.fork(), activityListStatement({ page: 1, pageSize: 1 }));
    expect(keys(row)).toEqual(Object.keys(activityColumns).sort());
    const [student] = await orm.em
      .fork()
      .execute<{ id: number }[]>(`select id from student where email = 'row.types@mergington.edu'`);
    const [forStudent] = await query<ActivityRow>(
      orm.em.fork(),
      activityListStatement({ page: 1, pageSize: 1 }, { studentId: student!.id }),
    );
    expect(keys(forStudent)).toEqual(Object.keys(activityColumns).sort());
  });

  it('the participant list', async () => {
    const em = orm.em.fork();
    const [activity] = await em.execute<{ id: number }[]>(`select id from activity where name = 'Row types'`);
    const statement = participantListStatement({ activityId: activity!.id, page: 1, pageSize: 1 });
    const [row] = await query<ParticipantRow>(em, statement);
    expect(keys(row)).toEqual(Object.keys(participantColumns).sort());
  });

  it('the old app’s catalogue (LEGACY_API)', async () => {
    const [row] = await query<LegacyCatalogueRow>(orm.em.fork(), legacyCatalogueStatement({}));
    expect(keys(row)).toEqual(Object.keys(legacyCatalogueColumns).sort());
  });
});
