import { Migration } from '@mikro-orm/migrations';
import { PASSWORD_RESET_QUEUE, QUEUE_SCHEMA } from '../queue.ts';

export class Migration20261130070000_PasswordResets extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "password_reset" ("id" serial primary key, "token_hash" varchar(64) not null, "student_id" int null, "teacher_id" int null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint password_reset_one_user check ((student_id is null) <> (teacher_id is null)));`,
    );
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "password_reset_student_id_index" on "password_reset" ("student_id");`);
    this.addSql(`create index "password_reset_teacher_id_index" on "password_reset" ("teacher_id");`);
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_teacher_id_foreign" foreign key ("teacher_id") references "teacher" ("id") on update cascade on delete cascade;`,
    );
    // The queue of reset emails: a job unsent after an hour is useless (its link has expired).
    this.addSql(
      `select ${QUEUE_SCHEMA}.create_queue('${PASSWORD_RESET_QUEUE}', '{"policy":"standard","retryLimit":5,"retryDelay":10,"retryBackoff":true,"expireInSeconds":120,"retentionMinutes":60}');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`select ${QUEUE_SCHEMA}.delete_queue('${PASSWORD_RESET_QUEUE}');`);
    this.addSql(`drop table if exists "password_reset" cascade;`);
  }
}
