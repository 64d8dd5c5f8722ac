import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/test-database.ts';

const { orm } = await useTestDatabase();
const query = <T extends object>(sql: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(sql, params);

const TABLES = [
  'activity',
  'activity_group',
  'activity_participant',
  'attendance',
  'attendance_change',
  'audit_log',
  'calendar_feed',
  'checkin_throttle',
  'committee',
  'event',
  'event_judge',
  'event_result',
  'feedback',
  'group_member',
  'import_chunk',
  'login_throttle',
  'meeting',
  'mikro_orm_migrations',
  'news',
  'notification',
  'notification_preference',
  'opening_draw_entry',
  'password_reset',
  'payment',
  'position',
  'round_draw',
  'round_override',
  'round_ranking',
  'school_closure',
  'session',
  'signup_round',
  'signup_round_activity',
  'student',
  'teacher',
];

describe('the migrated schema, read back from the catalog', () => {
  it('has every table of the request, plus judges, sessions, login throttling, signup rounds, notifications and calendar feeds', async () => {
    const rows = await query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(TABLES);
  });

  it('has every rule as a constraint of the database', async () => {
    const rows = await query<{ name: string; type: string }>(
      `select conname as name, contype as type from pg_constraint
        where connamespace = 'public'::regnamespace and contype in ('c', 'u', 'x')`,
    );
    const constraints = new Map(rows.map((row) => [row.name, row.type]));
    const expected: Record<string, 'c' | 'u' | 'x'> = {
      student_email_unique: 'u',
      student_email_normalized: 'c',
      student_grade_range: 'c',
      teacher_email_unique: 'u',
      teacher_username_unique: 'u',
      teacher_role_check: 'c',
      activity_name_unique: 'u',
      activity_max_participants_positive: 'c',
      activity_counts_non_negative: 'c',
      activity_schedule_complete: 'c',
      activity_schedule_ends_after_start: 'c',
      activity_schedule_days_valid: 'c',
      activity_allowed_grades_valid: 'c',
      activity_participant_once: 'u',
      activity_participant_status_check: 'c',
      position_term_ends_after_start: 'c',
      position_one_holder_at_a_time: 'x',
      event_prizes_is_array: 'c',
      event_judge_teacher_or_name: 'c',
      activity_group_name_once: 'u',
      group_member_once: 'u',
      group_member_one_group_per_activity: 'u',
      news_category_check: 'c',
      feedback_once_per_activity: 'u',
      feedback_rating_range: 'c',
      payment_amount_non_negative: 'c',
      payment_date_when_paid: 'c',
      payment_status_check: 'c',
      session_token_hash_unique: 'u',
      session_one_user: 'c',
      password_reset_token_hash_unique: 'u',
      password_reset_one_user: 'c',
      activity_group_sizes_valid: 'c',
      event_result_place_once: 'u',
      event_result_student_once: 'u',
      event_result_group_once: 'u',
      event_result_place_positive: 'c',
      event_result_student_or_group: 'c',
      activity_term_valid: 'c',
      school_closure_ends_after_start: 'c',
      meeting_scheduled_once: 'u',
      meeting_ends_after_start: 'c',
      meeting_grace_valid: 'c',
      attendance_once: 'u',
      attendance_status_check: 'c',
      signup_round_name_unique: 'u',
      signup_round_closes_after_opening: 'c',
      signup_round_window_valid: 'c',
      signup_round_activity_activity_id_unique: 'u',
      opening_draw_entry_once: 'u',
      round_ranking_rank_once: 'u',
      round_ranking_activity_once: 'u',
      round_draw_once: 'u',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(constraints.get(name), name).toBe(type);
    }
  });

  it('gives every foreign key a deliberate ON DELETE and an index that leads with its column', async () => {
    const rows = await query<{ name: string; on_delete: string; indexed: boolean }>(
      `select c.conname as name, c.confdeltype as on_delete,
              exists (select 1 from pg_index i
                       where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1]) as indexed
         from pg_constraint c
        where c.contype = 'f' and c.connamespace = 'public'::regnamespace`,
    );
    // a: no action, r: restrict, c: cascade, n: set null
    const onDelete = Object.fromEntries(rows.map((row) => [row.name, row.on_delete]));
    expect(onDelete).toEqual({
      activity_participant_activity_id_foreign: 'c',
      activity_participant_student_id_foreign: 'c',
      position_committee_id_foreign: 'c',
      position_student_id_foreign: 'c',
      event_activity_id_foreign: 'c',
      event_judge_event_id_foreign: 'c',
      event_judge_teacher_id_foreign: 'c',
      activity_group_activity_id_foreign: 'c',
      activity_group_leader_id_foreign: 'n',
      group_member_group_id_foreign: 'c',
      group_member_activity_id_foreign: 'c',
      group_member_student_id_foreign: 'c',
      news_author_id_foreign: 'n',
      news_activity_id_foreign: 'c',
      feedback_student_id_foreign: 'c',
      feedback_activity_id_foreign: 'c',
      payment_student_id_foreign: 'r',
      payment_activity_id_foreign: 'r',
      session_student_id_foreign: 'c',
      session_teacher_id_foreign: 'c',
      password_reset_student_id_foreign: 'c',
      password_reset_teacher_id_foreign: 'c',
      event_result_event_id_foreign: 'c',
      event_result_student_id_foreign: 'c',
      event_result_group_id_foreign: 'c',
      meeting_activity_id_foreign: 'c',
      attendance_meeting_id_foreign: 'c',
      attendance_student_id_foreign: 'c',
      attendance_recorded_by_id_foreign: 'n',
      attendance_change_attendance_id_foreign: 'c',
      attendance_change_changed_by_id_foreign: 'n',
      signup_round_activity_round_id_foreign: 'c',
      signup_round_activity_activity_id_foreign: 'c',
      opening_draw_entry_round_id_foreign: 'c',
      opening_draw_entry_activity_id_foreign: 'c',
      opening_draw_entry_student_id_foreign: 'c',
      round_ranking_round_id_foreign: 'c',
      round_ranking_student_id_foreign: 'c',
      round_ranking_activity_id_foreign: 'c',
      round_draw_round_id_foreign: 'c',
      round_draw_student_id_foreign: 'c',
      round_override_round_id_foreign: 'c',
      round_override_activity_id_foreign: 'c',
      round_override_student_id_foreign: 'c',
      round_override_teacher_id_foreign: 'n',
      notification_student_id_foreign: 'c',
      notification_preference_student_id_foreign: 'c',
      calendar_feed_student_id_foreign: 'c',
    });
    expect(rows.filter((row) => !row.indexed).map((row) => row.name)).toEqual([]);
  });

  it('has the triggers that keep seat counters and group membership right', async () => {
    // The audit triggers have a test of their own (modules/audit/audit.test.ts).
    const rows = await query<{ name: string }>(
      `select tgname as name from pg_trigger where not tgisinternal and tgname not like 'audit%' order by 1`,
    );
    expect(rows.map((row) => row.name)).toEqual([
      'activity_group_activity_fixed',
      'activity_participant_counts',
      'activity_participant_keys_fixed',
      'attendance_record_change',
      'attendance_student_enrolled',
      'group_member_activity_matches',
    ]);
  });

  it('stores every timestamp with its time zone', async () => {
    const rows = await query<{ column: string }>(
      `select table_name || '.' || column_name as column from information_schema.columns
        where table_schema = 'public' and data_type = 'timestamp without time zone'`,
    );
    expect(rows).toEqual([]);
  });

  it('records the applied migration, so a second run has nothing to do', async () => {
    const pending = await orm.migrator.getPendingMigrations();
    const executed = await orm.migrator.getExecutedMigrations();
    expect(pending).toEqual([]);
    expect(executed.length).toBeGreaterThan(0);
    expect(await orm.migrator.up()).toEqual([]);
  });
});
