import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/test-database.ts';

// Raw SQL on purpose: these prove that the database itself refuses bad rows, whatever code writes them.
const { orm } = await useTestDatabase();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

/** Expects the statement to fail with this SQLSTATE, naming this constraint. */
async function expectRefused(text: string, code: unknown, constraint: string) {
  await expect(sql(text)).rejects.toMatchObject({ code, constraint });
}

const UNIQUE = '23505';
const CHECK = '23514';
const EXCLUSION = '23P01';
// ON DELETE RESTRICT: restrict_violation since PostgreSQL 16, foreign_key_violation before.
const RESTRICT = expect.stringMatching(/^(23001|23503)$/);

// Every test starts from these rows alone, so none depends on what another left behind (or on the order).
beforeEach(async () => {
  // Cascades to every row that refers to them: participants, payments, positions, groups, events...
  await sql(`truncate student, teacher, activity, committee restart identity cascade`);
  await sql(`insert into student (id, email, name, grade) values (1, 'ana@mergington.edu', 'Ana', 10),
                                                                 (2, 'ben@mergington.edu', 'Ben', null)`);
  await sql(`insert into teacher (id, email, username, name, password_hash)
             values (1, 'ms@mergington.edu', 'msmith', 'Ms. Smith', 'x')`);
  await sql(
    `insert into activity (id, name, max_participants) values (1, 'Chess Club', 1), (2, 'Drama Club', 5)`,
  );
  await sql(`insert into committee (id, name) values (1, 'Student Council')`);
  await sql(`insert into activity_group (id, activity_id, name) values (1, 1, 'Knights'), (2, 2, 'Players')`);
  for (const table of ['student', 'teacher', 'activity', 'committee', 'activity_group']) {
    await sql(`select setval(pg_get_serial_sequence('${table}', 'id'), 100)`);
  }
});

describe('the database refuses what the rules forbid', () => {
  it('refuses a second signup of the same student for the same activity', async () => {
    await sql(`insert into activity_participant (activity_id, student_id, status) values (2, 1, 'enrolled')`);
    await expectRefused(
      `insert into activity_participant (activity_id, student_id, status) values (2, 1, 'waitlisted')`,
      UNIQUE,
      'activity_participant_once',
    );
  });

  it('refuses an enrolment past max_participants, but takes the same student on the waitlist', async () => {
    await sql(`insert into activity_participant (activity_id, student_id, status) values (1, 1, 'enrolled')`);
    await expectRefused(
      `insert into activity_participant (activity_id, student_id, status) values (1, 2, 'enrolled')`,
      CHECK,
      'activity_seat_limit',
    );
    await sql(
      `insert into activity_participant (activity_id, student_id, status) values (1, 2, 'waitlisted')`,
    );
    const [counts] = await sql<{ enrolled_count: number; waitlist_count: number }>(
      `select enrolled_count, waitlist_count from activity where id = 1`,
    );
    expect(counts).toEqual({ enrolled_count: 1, waitlist_count: 1 });
    await expectRefused(
      `update activity_participant set status = 'enrolled' where activity_id = 1 and student_id = 2`,
      CHECK,
      'activity_seat_limit',
    );
    await expectRefused(
      `update activity_participant set activity_id = 2 where activity_id = 1 and student_id = 2`,
      CHECK,
      'activity_participant_keys_fixed',
    );
  });

  it('refuses a rating of 6 (and of 0), and a second review of one activity by one student', async () => {
    await expectRefused(
      `insert into feedback (student_id, activity_id, rating) values (1, 1, 6)`,
      CHECK,
      'feedback_rating_range',
    );
    await expectRefused(
      `insert into feedback (student_id, activity_id, rating) values (1, 1, 0)`,
      CHECK,
      'feedback_rating_range',
    );
    await sql(`insert into feedback (student_id, activity_id, rating) values (1, 1, 5)`);
    await expectRefused(
      `insert into feedback (student_id, activity_id, rating) values (1, 1, 4)`,
      UNIQUE,
      'feedback_once_per_activity',
    );
  });

  it('refuses a negative amount, a paid payment without a payment date and a stored overdue status', async () => {
    await expectRefused(
      `insert into payment (student_id, activity_id, amount_cents) values (1, 1, -1)`,
      CHECK,
      'payment_amount_non_negative',
    );
    await expectRefused(
      `insert into payment (student_id, activity_id, amount_cents, status) values (1, 1, 500, 'paid')`,
      CHECK,
      'payment_date_when_paid',
    );
    await expectRefused(
      `insert into payment (student_id, activity_id, amount_cents, status) values (1, 1, 500, 'lost')`,
      CHECK,
      'payment_status_check',
    );
    // Overdue is derived from the due date, never stored.
    await expectRefused(
      `insert into payment (student_id, activity_id, amount_cents, status) values (1, 1, 500, 'overdue')`,
      CHECK,
      'payment_status_check',
    );
    await sql(`insert into payment (student_id, activity_id, amount_cents, status, payment_date)
               values (1, 1, 500, 'paid', now())`);
  });

  it('refuses to delete a student or an activity that has payments', async () => {
    await sql(`insert into payment (student_id, activity_id, amount_cents) values (1, 1, 500)`);
    await expectRefused(`delete from student where id = 1`, RESTRICT, 'payment_student_id_foreign');
    await expectRefused(`delete from activity where id = 1`, RESTRICT, 'payment_activity_id_foreign');
  });

  it('refuses an overlapping term for a position, whatever the case of its name', async () => {
    await sql(`insert into position (committee_id, student_id, position_name, term_start, term_end)
               values (1, 1, 'President', '2026-09-01', '2027-06-30')`);
    await expectRefused(
      `insert into position (committee_id, student_id, position_name, term_start, term_end)
       values (1, 2, 'president', '2027-01-01', '2027-12-31')`,
      EXCLUSION,
      'position_one_holder_at_a_time',
    );
    await expectRefused(
      `insert into position (committee_id, student_id, position_name, term_start)
       values (1, 2, 'President', '2026-01-01')`,
      EXCLUSION,
      'position_one_holder_at_a_time',
    );
    // The next term may start the day the last one ends, and another position may overlap.
    await sql(`insert into position (committee_id, student_id, position_name, term_start, term_end)
               values (1, 2, 'President', '2027-06-30', '2028-06-30'),
                      (1, 2, 'Treasurer', '2026-09-01', '2027-06-30')`);
  });

  it('refuses a term that ends before it starts', async () => {
    await expectRefused(
      `insert into position (committee_id, student_id, position_name, term_start, term_end)
       values (1, 1, 'Secretary', '2026-09-01', '2026-08-01')`,
      CHECK,
      'position_term_ends_after_start',
    );
  });

  it('refuses emails that differ only in case, and grades outside 9-12', async () => {
    await expectRefused(
      `insert into student (email, name) values ('Ana@Mergington.edu', 'Ana')`,
      CHECK,
      'student_email_normalized',
    );
    await expectRefused(
      `insert into student (email, name, grade) values ('cleo@mergington.edu', 'Cleo', 13)`,
      CHECK,
      'student_grade_range',
    );
    await expectRefused(
      `insert into teacher (email, username, name, password_hash) values ('x@mergington.edu', 'MSmith', 'X', 'x')`,
      CHECK,
      'teacher_username_normalized',
    );
  });

  it('refuses a second group of a student in one activity, and a member whose activity is not the group’s', async () => {
    await sql(`insert into activity_group (id, activity_id, name) values (3, 1, 'Bishops')`);
    await sql(`insert into group_member (group_id, activity_id, student_id) values (1, 1, 1)`);
    await expectRefused(
      `insert into group_member (group_id, activity_id, student_id) values (3, 1, 1)`,
      UNIQUE,
      'group_member_one_group_per_activity',
    );
    await expectRefused(
      `insert into group_member (group_id, activity_id, student_id) values (2, 1, 2)`,
      CHECK,
      'group_member_activity_matches',
    );
    await expectRefused(
      `insert into activity_group (activity_id, name) values (1, 'Knights')`,
      UNIQUE,
      'activity_group_name_once',
    );
  });

  it('refuses incomplete schedules, unknown days and grades, and a zero capacity', async () => {
    await expectRefused(
      `insert into activity (name, max_participants, schedule_days) values ('A', 5, '{monday}')`,
      CHECK,
      'activity_schedule_complete',
    );
    await expectRefused(
      `insert into activity (name, max_participants, schedule_days, start_time, end_time)
       values ('B', 5, '{funday}', '15:00', '16:00')`,
      CHECK,
      'activity_schedule_days_valid',
    );
    await expectRefused(
      `insert into activity (name, max_participants, schedule_days, start_time, end_time)
       values ('C', 5, '{monday}', '16:00', '15:00')`,
      CHECK,
      'activity_schedule_ends_after_start',
    );
    await expectRefused(
      `insert into activity (name, max_participants, allowed_grades) values ('D', 5, '{8,9}')`,
      CHECK,
      'activity_allowed_grades_valid',
    );
    await expectRefused(
      `insert into activity (name, max_participants) values ('E', 0)`,
      CHECK,
      'activity_max_participants_positive',
    );
  });

  it('refuses a judge that is both a teacher and an outside name, or neither, and prizes that are not a list', async () => {
    await sql(`insert into event (id, activity_id, name, date) values (1, 1, 'Spring Open', now())`);
    await expectRefused(
      `insert into event_judge (event_id, teacher_id, name) values (1, 1, 'Dr. Who')`,
      CHECK,
      'event_judge_teacher_or_name',
    );
    await expectRefused(
      `insert into event_judge (event_id) values (1)`,
      CHECK,
      'event_judge_teacher_or_name',
    );
    await expectRefused(
      `insert into event (activity_id, name, date, prizes) values (1, 'X', now(), '{"place": 1}')`,
      CHECK,
      'event_prizes_is_array',
    );
  });

  it('refuses a second place of one event for the same student or group, not a place in another event', async () => {
    await sql(`insert into event (id, activity_id, name, date) values (1, 1, 'Spring Open', now()),
                                                                     (2, 1, 'Autumn Open', now())`);
    await sql(`insert into event_result (event_id, place, student_id) values (1, 1, 1)`);
    await sql(`insert into event_result (event_id, place, group_id) values (1, 3, 1)`);
    await expectRefused(
      `insert into event_result (event_id, place, student_id) values (1, 2, 1)`,
      UNIQUE,
      'event_result_student_once',
    );
    await expectRefused(
      `insert into event_result (event_id, place, group_id) values (1, 4, 1)`,
      UNIQUE,
      'event_result_group_once',
    );
    // Results of groups leave student_id null, and nulls never clash.
    await sql(`insert into event_result (event_id, place, group_id) values (1, 2, 2)`);
    await sql(`insert into event_result (event_id, place, student_id) values (2, 2, 1)`);
  });
});
