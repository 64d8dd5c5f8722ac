import { Migration } from '@mikro-orm/migrations';

export class Migration20261130043000_CalendarFeeds extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "calendar_feed" ("student_id" int not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null default now(), constraint "calendar_feed_pkey" primary key ("student_id"));`,
    );
    this.addSql(
      `alter table "calendar_feed" add constraint "calendar_feed_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "calendar_feed" add constraint "calendar_feed_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "calendar_feed" cascade;`);
  }
}
