import { Migration } from '@mikro-orm/migrations';

/**
 * A student or group wins one place of an event at most. Where one was recorded for several places (the
 * old form allowed it), the best place is kept and the others become "no winner", for the teacher to
 * record again; the audit trail keeps the rows removed.
 */
export class Migration20261130080000_OneWinnerOnePlace extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `delete from "event_result" r using "event_result" better
        where better.event_id = r.event_id and better.place < r.place
          and (better.student_id = r.student_id or better.group_id = r.group_id);`,
    );
    this.addSql(
      `alter table "event_result" add constraint "event_result_student_once" unique ("event_id", "student_id");`,
    );
    this.addSql(
      `alter table "event_result" add constraint "event_result_group_once" unique ("event_id", "group_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "event_result" drop constraint "event_result_group_once";`);
    this.addSql(`alter table "event_result" drop constraint "event_result_student_once";`);
  }
}
