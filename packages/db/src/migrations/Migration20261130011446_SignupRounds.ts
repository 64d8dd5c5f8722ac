import { Migration } from '@mikro-orm/migrations';

/** Signup rounds (issue 15): the round, its activities, the opening draw, rankings, the lottery's draw, overrides. */
export class Migration20261130011446_SignupRounds extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "signup_round" ("id" serial primary key, "name" varchar(120) not null, "mode" text check ("mode" in ('first_come', 'lottery')) not null, "opens_at" timestamptz not null, "closes_at" timestamptz not null, "opening_window_seconds" int not null default 0, "max_per_student" int null, "no_overlap" boolean not null default false, "max_choices" int not null default 5, "seniors_first" boolean not null default false, "term_start" date null, "term_end" date null, "opening_seed" int null, "opening_placed_at" timestamptz null, "lottery_seed" int null, "lottery_input_digest" varchar(64) null, "published_at" timestamptz null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint signup_round_closes_after_opening check (closes_at > opens_at), constraint signup_round_term_valid check (term_end >= term_start), constraint signup_round_window_valid check (opening_window_seconds >= 0 and opening_window_seconds <= 3600), constraint signup_round_limits_valid check (max_per_student >= 1 and max_choices >= 1));`,
    );
    this.addSql(`alter table "signup_round" add constraint "signup_round_name_unique" unique ("name");`);

    this.addSql(
      `create table "signup_round_activity" ("id" serial primary key, "round_id" int not null, "activity_id" int not null, "min_participants" int null, "cancelled_at" timestamptz null, constraint signup_round_activity_min_valid check (min_participants >= 1));`,
    );
    this.addSql(
      `create index "signup_round_activity_round_id_index" on "signup_round_activity" ("round_id");`,
    );
    this.addSql(
      `alter table "signup_round_activity" add constraint "signup_round_activity_activity_id_unique" unique ("activity_id");`,
    );

    this.addSql(
      `create table "round_ranking" ("id" serial primary key, "round_id" int not null, "student_id" int not null, "activity_id" int not null, "rank" int not null, constraint round_ranking_rank_positive check (rank >= 1));`,
    );
    this.addSql(`create index "round_ranking_student_id_index" on "round_ranking" ("student_id");`);
    this.addSql(`create index "round_ranking_activity_id_index" on "round_ranking" ("activity_id");`);
    this.addSql(
      `alter table "round_ranking" add constraint "round_ranking_rank_once" unique ("round_id", "student_id", "rank");`,
    );
    this.addSql(
      `alter table "round_ranking" add constraint "round_ranking_activity_once" unique ("round_id", "student_id", "activity_id");`,
    );

    this.addSql(
      `create table "round_draw" ("id" serial primary key, "round_id" int not null, "student_id" int not null, "draw_position" int not null, "choices" jsonb not null);`,
    );
    this.addSql(`create index "round_draw_student_id_index" on "round_draw" ("student_id");`);
    this.addSql(
      `alter table "round_draw" add constraint "round_draw_once" unique ("round_id", "student_id");`,
    );
    this.addSql(
      `alter table "round_draw" add constraint "round_draw_position_once" unique ("round_id", "draw_position");`,
    );

    this.addSql(
      `create table "opening_draw_entry" ("id" serial primary key, "round_id" int not null, "activity_id" int not null, "student_id" int not null, "arrived_at" timestamptz not null, "draw_position" int null);`,
    );
    this.addSql(`create index "opening_draw_entry_round_id_index" on "opening_draw_entry" ("round_id");`);
    this.addSql(`create index "opening_draw_entry_student_id_index" on "opening_draw_entry" ("student_id");`);
    this.addSql(
      `alter table "opening_draw_entry" add constraint "opening_draw_entry_once" unique ("activity_id", "student_id");`,
    );

    this.addSql(
      `create table "round_override" ("id" serial primary key, "round_id" int not null, "activity_id" int not null, "student_id" int not null, "teacher_id" int null, "rules_broken" text not null, "reason" text not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "round_override_round_id_index" on "round_override" ("round_id");`);
    this.addSql(`create index "round_override_activity_id_index" on "round_override" ("activity_id");`);
    this.addSql(`create index "round_override_student_id_index" on "round_override" ("student_id");`);
    this.addSql(`create index "round_override_teacher_id_index" on "round_override" ("teacher_id");`);

    this.addSql(
      `alter table "signup_round_activity" add constraint "signup_round_activity_round_id_foreign" foreign key ("round_id") references "signup_round" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "signup_round_activity" add constraint "signup_round_activity_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "round_ranking" add constraint "round_ranking_round_id_foreign" foreign key ("round_id") references "signup_round" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "round_ranking" add constraint "round_ranking_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "round_ranking" add constraint "round_ranking_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "round_draw" add constraint "round_draw_round_id_foreign" foreign key ("round_id") references "signup_round" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "round_draw" add constraint "round_draw_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "opening_draw_entry" add constraint "opening_draw_entry_round_id_foreign" foreign key ("round_id") references "signup_round" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "opening_draw_entry" add constraint "opening_draw_entry_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "opening_draw_entry" add constraint "opening_draw_entry_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "round_override" add constraint "round_override_round_id_foreign" foreign key ("round_id") references "signup_round" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "round_override" add constraint "round_override_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "round_override" add constraint "round_override_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "round_override" add constraint "round_override_teacher_id_foreign" foreign key ("teacher_id") references "teacher" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "signup_round_activity" drop constraint "signup_round_activity_round_id_foreign";`,
    );

    this.addSql(`alter table "round_ranking" drop constraint "round_ranking_round_id_foreign";`);

    this.addSql(`alter table "round_draw" drop constraint "round_draw_round_id_foreign";`);

    this.addSql(`alter table "opening_draw_entry" drop constraint "opening_draw_entry_round_id_foreign";`);

    this.addSql(`alter table "round_override" drop constraint "round_override_round_id_foreign";`);

    this.addSql(`drop table if exists "signup_round" cascade;`);

    this.addSql(`drop table if exists "signup_round_activity" cascade;`);

    this.addSql(`drop table if exists "round_ranking" cascade;`);

    this.addSql(`drop table if exists "round_draw" cascade;`);

    this.addSql(`drop table if exists "opening_draw_entry" cascade;`);

    this.addSql(`drop table if exists "round_override" cascade;`);
  }
}
