import { Migration } from '@mikro-orm/migrations';

export class Migration20261125213405_Initial extends Migration {
  override async up(): Promise<void> {
    // The exclusion constraint of "position" compares committee ids and names with gist.
    this.addSql(`create extension if not exists btree_gist;`);

    this.addSql(
      `create table "activity" ("id" serial primary key, "name" varchar(120) not null, "description" text not null default '', "schedule" varchar(200) not null default '', "schedule_days" text[] null, "start_time" time(0) null, "end_time" time(0) null, "category" varchar(60) null, "allowed_grades" smallint[] null, "max_participants" int not null, "enrolled_count" int not null default 0, "waitlist_count" int not null default 0, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint activity_max_participants_positive check (max_participants > 0), constraint activity_counts_non_negative check (enrolled_count >= 0 and waitlist_count >= 0), constraint activity_schedule_complete check ((schedule_days is null) = (start_time is null) and (start_time is null) = (end_time is null)), constraint activity_schedule_ends_after_start check (end_time > start_time), constraint activity_schedule_days_valid check (cardinality(schedule_days) > 0 and schedule_days <@ array['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']::text[]), constraint activity_allowed_grades_valid check (cardinality(allowed_grades) > 0 and allowed_grades <@ array[9, 10, 11, 12]::smallint[]));`,
    );
    this.addSql(`alter table "activity" add constraint "activity_name_unique" unique ("name");`);
    this.addSql(`create index "activity_category_index" on "activity" ("category");`);

    this.addSql(
      `create table "committee" ("id" serial primary key, "name" varchar(120) not null, "description" text not null default '', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`alter table "committee" add constraint "committee_name_unique" unique ("name");`);

    this.addSql(
      `create table "event" ("id" serial primary key, "activity_id" int not null, "name" varchar(200) not null, "date" timestamptz not null, "venue" varchar(200) not null default '', "description" text not null default '', "prizes" jsonb not null default '[]', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint event_prizes_is_array check (jsonb_typeof(prizes) = 'array'));`,
    );
    this.addSql(`create index "event_activity_date" on "event" ("activity_id", "date");`);
    this.addSql(`create index "event_date" on "event" ("date");`);

    this.addSql(
      `create table "student" ("id" serial primary key, "email" varchar(254) not null, "name" varchar(200) not null, "grade" smallint null, "password_hash" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint student_email_normalized check (email = lower(btrim(email))), constraint student_grade_range check (grade >= 9 and grade <= 12));`,
    );
    this.addSql(`alter table "student" add constraint "student_email_unique" unique ("email");`);
    this.addSql(`create index "student_grade_index" on "student" ("grade");`);

    this.addSql(
      `create table "position" ("id" serial primary key, "committee_id" int not null, "student_id" int not null, "position_name" varchar(120) not null, "term_start" date not null, "term_end" date null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint position_term_ends_after_start check (term_end > term_start));`,
    );
    this.addSql(`create index "position_committee_id_index" on "position" ("committee_id");`);
    this.addSql(`create index "position_student_id_index" on "position" ("student_id");`);
    this.addSql(
      `alter table "position" add constraint "position_one_holder_at_a_time" exclude using gist ("committee_id" with =, lower("position_name") with =, daterange("term_start", "term_end") with &&);`,
    );

    this.addSql(
      `create table "payment" ("id" serial primary key, "student_id" int not null, "activity_id" int not null, "amount_cents" int not null, "status" text check ("status" in ('pending', 'paid', 'overdue', 'refunded', 'waived')) not null default 'pending', "description" varchar(200) not null default '', "due_date" date null, "payment_date" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint payment_amount_non_negative check (amount_cents >= 0), constraint payment_date_when_paid check ((status = 'paid' or status = 'refunded') = (payment_date is not null)));`,
    );
    this.addSql(`create index "payment_student_id_index" on "payment" ("student_id");`);
    this.addSql(`create index "payment_activity_id_index" on "payment" ("activity_id");`);
    this.addSql(`create index "payment_status_index" on "payment" ("status");`);

    this.addSql(
      `create table "activity_group" ("id" serial primary key, "activity_id" int not null, "name" varchar(120) not null, "leader_id" int null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "activity_group_leader_id_index" on "activity_group" ("leader_id");`);
    this.addSql(
      `alter table "activity_group" add constraint "activity_group_name_once" unique ("activity_id", "name");`,
    );

    this.addSql(
      `create table "group_member" ("id" serial primary key, "group_id" int not null, "activity_id" int not null, "student_id" int not null, "role" text check ("role" in ('leader', 'member')) not null default 'member', "joined_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "group_member_student_id_index" on "group_member" ("student_id");`);
    this.addSql(
      `alter table "group_member" add constraint "group_member_once" unique ("group_id", "student_id");`,
    );
    this.addSql(
      `alter table "group_member" add constraint "group_member_one_group_per_activity" unique ("activity_id", "student_id");`,
    );

    this.addSql(
      `create table "feedback" ("id" serial primary key, "student_id" int not null, "activity_id" int not null, "rating" smallint not null, "review" text not null default '', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint feedback_rating_range check (rating >= 1 and rating <= 5));`,
    );
    this.addSql(`create index "feedback_student_id_index" on "feedback" ("student_id");`);
    this.addSql(
      `alter table "feedback" add constraint "feedback_once_per_activity" unique ("activity_id", "student_id");`,
    );

    this.addSql(
      `create table "activity_participant" ("id" serial primary key, "activity_id" int not null, "student_id" int not null, "status" text check ("status" in ('enrolled', 'waitlisted')) not null, "signup_date" timestamptz not null default now());`,
    );
    this.addSql(
      `create index "activity_participant_student_id_index" on "activity_participant" ("student_id");`,
    );
    this.addSql(
      `create index "activity_participant_queue" on "activity_participant" ("activity_id", "status", "id");`,
    );
    this.addSql(
      `alter table "activity_participant" add constraint "activity_participant_once" unique ("activity_id", "student_id");`,
    );

    this.addSql(
      `create table "teacher" ("id" serial primary key, "email" varchar(254) not null, "username" varchar(64) not null, "name" varchar(200) not null, "password_hash" text not null, "role" text check ("role" in ('teacher', 'admin')) not null default 'teacher', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint teacher_email_normalized check (email = lower(btrim(email))), constraint teacher_username_normalized check (username = lower(btrim(username))));`,
    );
    this.addSql(`alter table "teacher" add constraint "teacher_email_unique" unique ("email");`);
    this.addSql(`alter table "teacher" add constraint "teacher_username_unique" unique ("username");`);

    this.addSql(
      `create table "session" ("id" serial primary key, "token_hash" varchar(64) not null, "student_id" int null, "teacher_id" int null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint session_one_user check ((student_id is null) <> (teacher_id is null)));`,
    );
    this.addSql(`alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "session_student_id_index" on "session" ("student_id");`);
    this.addSql(`create index "session_teacher_id_index" on "session" ("teacher_id");`);
    this.addSql(`create index "session_expires_at_index" on "session" ("expires_at");`);

    this.addSql(
      `create table "news" ("id" serial primary key, "title" varchar(200) not null, "content" text not null, "author_id" int null, "category" text check ("category" in ('general', 'competition_results', 'new_activity', 'schedule_change', 'achievement')) not null default 'general', "activity_id" int null, "pinned" boolean not null default false, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "news_author_id_index" on "news" ("author_id");`);
    this.addSql(`create index "news_category_index" on "news" ("category");`);
    this.addSql(`create index "news_activity_id_index" on "news" ("activity_id");`);
    this.addSql(`create index "news_feed" on "news" ("pinned", "created_at");`);

    this.addSql(
      `create table "event_judge" ("id" serial primary key, "event_id" int not null, "teacher_id" int null, "name" varchar(200) null, constraint event_judge_teacher_or_name check ((teacher_id is null) <> (name is null)));`,
    );
    this.addSql(`create index "event_judge_teacher_id_index" on "event_judge" ("teacher_id");`);
    this.addSql(
      `alter table "event_judge" add constraint "event_judge_teacher_once" unique ("event_id", "teacher_id");`,
    );

    this.addSql(
      `alter table "event" add constraint "event_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "position" add constraint "position_committee_id_foreign" foreign key ("committee_id") references "committee" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "position" add constraint "position_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "payment" add constraint "payment_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "payment" add constraint "payment_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "activity_group" add constraint "activity_group_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "activity_group" add constraint "activity_group_leader_id_foreign" foreign key ("leader_id") references "student" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "group_member" add constraint "group_member_group_id_foreign" foreign key ("group_id") references "activity_group" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_member" add constraint "group_member_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_member" add constraint "group_member_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "feedback" add constraint "feedback_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "feedback" add constraint "feedback_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "activity_participant" add constraint "activity_participant_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "activity_participant" add constraint "activity_participant_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "session" add constraint "session_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "session" add constraint "session_teacher_id_foreign" foreign key ("teacher_id") references "teacher" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "news" add constraint "news_author_id_foreign" foreign key ("author_id") references "teacher" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "news" add constraint "news_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "event_judge" add constraint "event_judge_event_id_foreign" foreign key ("event_id") references "event" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "event_judge" add constraint "event_judge_teacher_id_foreign" foreign key ("teacher_id") references "teacher" ("id") on update cascade on delete cascade;`,
    );

    // What the entities cannot say: rules that span rows or tables, kept by the database itself.

    // Keys that identify a row of these tables never change: a move is a delete plus an insert.
    this.addSql(`create function refuse_key_change() returns trigger language plpgsql as $$
begin
  raise exception '%', tg_argv[0] using errcode = '23514', constraint = tg_name;
end $$;`);
    this.addSql(
      `create trigger activity_participant_keys_fixed before update of activity_id, student_id on activity_participant for each row when (old.activity_id <> new.activity_id or old.student_id <> new.student_id) execute function refuse_key_change('a signup cannot move to another activity or student');`,
    );
    this.addSql(
      `create trigger activity_group_activity_fixed before update of activity_id on activity_group for each row when (old.activity_id <> new.activity_id) execute function refuse_key_change('a group cannot move to another activity');`,
    );

    // The seat counters follow the signup rows, and no enrolment may take a seat past max_participants
    // (the importer alone may set mergington.allow_overbooking for one transaction, to keep old data whole).
    this.addSql(`create function activity_participant_counts() returns trigger language plpgsql as $$
declare
  enrolled_delta int := 0;
  waitlist_delta int := 0;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    if old.status = 'enrolled' then enrolled_delta := enrolled_delta - 1; else waitlist_delta := waitlist_delta - 1; end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    if new.status = 'enrolled' then enrolled_delta := enrolled_delta + 1; else waitlist_delta := waitlist_delta + 1; end if;
  end if;
  if enrolled_delta = 0 and waitlist_delta = 0 then
    return null;
  end if;
  update activity
     set enrolled_count = enrolled_count + enrolled_delta, waitlist_count = waitlist_count + waitlist_delta
   where id = coalesce(new.activity_id, old.activity_id)
     and (enrolled_delta <= 0
          or enrolled_count + enrolled_delta <= max_participants
          or current_setting('mergington.allow_overbooking', true) = 'on');
  if not found and enrolled_delta > 0 then
    raise exception 'activity % has no free seat', new.activity_id
      using errcode = '23514', constraint = 'activity_seat_limit';
  end if;
  return null;
end $$;`);
    this.addSql(
      `create trigger activity_participant_counts after insert or update of status or delete on activity_participant for each row execute function activity_participant_counts();`,
    );

    // A group member's activity is its group's, so "one group per student and activity" holds.
    this.addSql(`create function group_member_activity_matches() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from activity_group where id = new.group_id and activity_id = new.activity_id) then
    raise exception 'group % does not belong to activity %', new.group_id, new.activity_id
      using errcode = '23514', constraint = 'group_member_activity_matches';
  end if;
  return new;
end $$;`);
    this.addSql(
      `create trigger group_member_activity_matches before insert or update of group_id, activity_id on group_member for each row execute function group_member_activity_matches();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "event" drop constraint "event_activity_id_foreign";`);

    this.addSql(`alter table "payment" drop constraint "payment_activity_id_foreign";`);

    this.addSql(`alter table "activity_group" drop constraint "activity_group_activity_id_foreign";`);

    this.addSql(`alter table "group_member" drop constraint "group_member_activity_id_foreign";`);

    this.addSql(`alter table "feedback" drop constraint "feedback_activity_id_foreign";`);

    this.addSql(
      `alter table "activity_participant" drop constraint "activity_participant_activity_id_foreign";`,
    );

    this.addSql(`alter table "news" drop constraint "news_activity_id_foreign";`);

    this.addSql(`alter table "position" drop constraint "position_committee_id_foreign";`);

    this.addSql(`alter table "event_judge" drop constraint "event_judge_event_id_foreign";`);

    this.addSql(`alter table "position" drop constraint "position_student_id_foreign";`);

    this.addSql(`alter table "payment" drop constraint "payment_student_id_foreign";`);

    this.addSql(`alter table "activity_group" drop constraint "activity_group_leader_id_foreign";`);

    this.addSql(`alter table "group_member" drop constraint "group_member_student_id_foreign";`);

    this.addSql(`alter table "feedback" drop constraint "feedback_student_id_foreign";`);

    this.addSql(
      `alter table "activity_participant" drop constraint "activity_participant_student_id_foreign";`,
    );

    this.addSql(`alter table "session" drop constraint "session_student_id_foreign";`);

    this.addSql(`alter table "group_member" drop constraint "group_member_group_id_foreign";`);

    this.addSql(`alter table "session" drop constraint "session_teacher_id_foreign";`);

    this.addSql(`alter table "news" drop constraint "news_author_id_foreign";`);

    this.addSql(`alter table "event_judge" drop constraint "event_judge_teacher_id_foreign";`);

    this.addSql(`drop table if exists "activity" cascade;`);

    this.addSql(`drop table if exists "committee" cascade;`);

    this.addSql(`drop table if exists "event" cascade;`);

    this.addSql(`drop table if exists "student" cascade;`);

    this.addSql(`drop table if exists "position" cascade;`);

    this.addSql(`drop table if exists "payment" cascade;`);

    this.addSql(`drop table if exists "activity_group" cascade;`);

    this.addSql(`drop table if exists "group_member" cascade;`);

    this.addSql(`drop table if exists "feedback" cascade;`);

    this.addSql(`drop table if exists "activity_participant" cascade;`);

    this.addSql(`drop table if exists "teacher" cascade;`);

    this.addSql(`drop table if exists "session" cascade;`);

    this.addSql(`drop table if exists "news" cascade;`);

    this.addSql(`drop table if exists "event_judge" cascade;`);

    this.addSql(
      `drop function if exists refuse_key_change, activity_participant_counts, group_member_activity_matches cascade;`,
    );
  }
}
