import { Migration } from '@mikro-orm/migrations';
import PgBoss from 'pg-boss';
import { EMAIL_QUEUE, QUEUE_SCHEMA } from '../queue.ts';

export class Migration20261130011715_Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notification_preference" ("student_id" int not null, "kind" text check ("kind" in ('signup_confirmed', 'signup_waitlisted', 'promoted', 'added_by_teacher', 'removed_by_teacher', 'payment_recorded', 'payment_due_soon', 'payment_overdue', 'event_results', 'news_posted', 'meeting_cancelled', 'meeting_moved', 'meeting_restored')) not null, "email" boolean not null, constraint "notification_preference_pkey" primary key ("student_id", "kind"));`,
    );

    this.addSql(
      `create table "notification" ("id" serial primary key, "student_id" int not null, "kind" text check ("kind" in ('signup_confirmed', 'signup_waitlisted', 'promoted', 'added_by_teacher', 'removed_by_teacher', 'payment_recorded', 'payment_due_soon', 'payment_overdue', 'event_results', 'news_posted', 'meeting_cancelled', 'meeting_moved', 'meeting_restored')) not null, "payload" jsonb not null default '{}', "dedupe_key" varchar(100) null, "read_at" timestamptz null, "email_status" text check ("email_status" in ('pending', 'sent', 'failed', 'off')) not null, "email_attempts" int not null default 0, "email_error" text null, "email_sent_at" timestamptz null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "notification_student_id_id_index" on "notification" ("student_id", "id");`);
    this.addSql(
      `alter table "notification" add constraint "notification_student_id_dedupe_key_unique" unique ("student_id", "dedupe_key");`,
    );

    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "notification" add constraint "notification_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    // The job queue's own schema, as pg-boss builds it (it migrates it itself from then on), without its
    // BEGIN/COMMIT: the migration's transaction holds it. Then the email queue, which notifications write
    // their jobs into from their first transaction on (with the EMAIL_* defaults; the worker applies the env's).
    this.addSql(
      PgBoss.getConstructionPlans(QUEUE_SCHEMA)
        .replace(/^\s*BEGIN;/m, '')
        .replace(/COMMIT;\s*$/, ''),
    );
    this.addSql(
      `select ${QUEUE_SCHEMA}.create_queue('${EMAIL_QUEUE}', '{"policy":"standard","retryLimit":10,"retryDelay":30,"retryBackoff":true,"expireInSeconds":120}');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_preference" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop schema if exists ${QUEUE_SCHEMA} cascade;`);
  }
}
