import { Migration } from '@mikro-orm/migrations';

export class Migration20261125222003_SchoolLife extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "event_result" ("id" serial primary key, "event_id" int not null, "place" smallint not null, "student_id" int null, "group_id" int null, constraint event_result_place_positive check (place >= 1), constraint event_result_student_or_group check ((student_id is null) <> (group_id is null)));`,
    );
    this.addSql(`create index "event_result_student_id_index" on "event_result" ("student_id");`);
    this.addSql(`create index "event_result_group_id_index" on "event_result" ("group_id");`);
    this.addSql(
      `alter table "event_result" add constraint "event_result_place_once" unique ("event_id", "place");`,
    );

    this.addSql(
      `alter table "event_result" add constraint "event_result_event_id_foreign" foreign key ("event_id") references "event" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "event_result" add constraint "event_result_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "event_result" add constraint "event_result_group_id_foreign" foreign key ("group_id") references "activity_group" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "activity" add column "min_group_size" int null, add column "max_group_size" int null;`,
    );
    this.addSql(
      `alter table "activity" add constraint activity_group_sizes_valid check(min_group_size >= 1 and max_group_size >= 1 and min_group_size <= max_group_size);`,
    );

    this.addSql(`alter table "payment" add column "method" varchar(40) null;`);

    this.addSql(`alter table "feedback" add column "hidden" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "event_result" cascade;`);

    this.addSql(`alter table "activity" drop constraint activity_group_sizes_valid;`);
    this.addSql(`alter table "activity" drop column "min_group_size", drop column "max_group_size";`);

    this.addSql(`alter table "feedback" drop column "hidden";`);

    this.addSql(`alter table "payment" drop column "method";`);
  }
}
