import { Migration } from '@mikro-orm/migrations';

export class Migration20261130011324_Attendance extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "meeting" ("id" serial primary key, "activity_id" int not null, "scheduled_on" date null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "cancelled" boolean not null default false, "checkin_secret" varchar(64) null, "checkin_grace_minutes" smallint not null default 10, "created_at" timestamptz not null default now(), constraint meeting_ends_after_start check (ends_at > starts_at), constraint meeting_grace_valid check (checkin_grace_minutes >= 0 and checkin_grace_minutes <= 240));`,
    );
    this.addSql(`create index "meeting_activity_starts" on "meeting" ("activity_id", "starts_at");`);
    this.addSql(
      `alter table "meeting" add constraint "meeting_scheduled_once" unique ("activity_id", "scheduled_on");`,
    );

    this.addSql(
      `create table "school_closure" ("id" serial primary key, "starts_on" date not null, "ends_on" date not null, "reason" varchar(200) not null default '', constraint school_closure_ends_after_start check (ends_on >= starts_on));`,
    );
    this.addSql(`create index "school_closure_starts_on_index" on "school_closure" ("starts_on");`);

    this.addSql(
      `create table "checkin_throttle" ("student_id" int not null, "failures" int not null default 0, "window_started_at" timestamptz not null default now(), "locked_until" timestamptz null, constraint "checkin_throttle_pkey" primary key ("student_id"));`,
    );

    this.addSql(
      `create table "attendance" ("id" serial primary key, "meeting_id" int not null, "student_id" int not null, "status" text check ("status" in ('present', 'late', 'absent', 'excused')) not null, "note" varchar(500) not null default '', "source" text check ("source" in ('roll_call', 'check_in')) not null, "recorded_by_id" int null, "recorded_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "attendance_student_id_index" on "attendance" ("student_id");`);
    this.addSql(`create index "attendance_recorded_by_id_index" on "attendance" ("recorded_by_id");`);
    this.addSql(
      `alter table "attendance" add constraint "attendance_once" unique ("meeting_id", "student_id");`,
    );

    this.addSql(
      `create table "attendance_change" ("id" serial primary key, "attendance_id" int not null, "status" text check ("status" in ('present', 'late', 'absent', 'excused')) not null, "note" varchar(500) not null, "source" text check ("source" in ('roll_call', 'check_in')) not null, "changed_by_id" int null, "changed_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "attendance_change_attendance_id_index" on "attendance_change" ("attendance_id");`,
    );
    this.addSql(
      `create index "attendance_change_changed_by_id_index" on "attendance_change" ("changed_by_id");`,
    );

    this.addSql(
      `alter table "meeting" add constraint "meeting_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "attendance" add constraint "attendance_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "attendance" add constraint "attendance_student_id_foreign" foreign key ("student_id") references "student" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "attendance" add constraint "attendance_recorded_by_id_foreign" foreign key ("recorded_by_id") references "teacher" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "attendance_change" add constraint "attendance_change_attendance_id_foreign" foreign key ("attendance_id") references "attendance" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "attendance_change" add constraint "attendance_change_changed_by_id_foreign" foreign key ("changed_by_id") references "teacher" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "activity" add column "term_starts_on" date null, add column "term_ends_on" date null;`,
    );
    this.addSql(
      `alter table "activity" add constraint activity_term_valid check((term_starts_on is null) = (term_ends_on is null) and term_ends_on >= term_starts_on);`,
    );

    // Only a student enrolled in the meeting's activity gets a record; a withdrawn student's records stay (the
    // check runs when a record is made or moved, never on a status edit).
    this.addSql(`create function attendance_student_enrolled() returns trigger language plpgsql as $$
begin
  -- An insert that meets an existing record becomes an edit of it (on conflict do update): allowed.
  if exists (select 1 from attendance a where a.meeting_id = new.meeting_id and a.student_id = new.student_id) then
    return new;
  end if;
  if not exists (select 1 from meeting m
                   join activity_participant ap on ap.activity_id = m.activity_id
                  where m.id = new.meeting_id and ap.student_id = new.student_id and ap.status = 'enrolled') then
    raise exception 'student % is not enrolled in the activity of meeting %', new.student_id, new.meeting_id
      using errcode = '23514', constraint = 'attendance_student_enrolled';
  end if;
  return new;
end $$;`);
    this.addSql(
      `create trigger attendance_student_enrolled before insert or update of meeting_id, student_id on attendance for each row execute function attendance_student_enrolled();`,
    );
    // The history of a record is written here, so no code path can change a status without leaving a trace.
    this.addSql(`create function attendance_record_change() returns trigger language plpgsql as $$
begin
  insert into attendance_change (attendance_id, status, note, source, changed_by_id, changed_at)
  values (new.id, new.status, new.note, new.source, new.recorded_by_id, new.recorded_at);
  return null;
end $$;`);
    this.addSql(
      `create trigger attendance_record_change after insert or update of status, note, source, recorded_by_id, recorded_at on attendance for each row execute function attendance_record_change();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists attendance_student_enrolled() cascade;`);
    this.addSql(`drop function if exists attendance_record_change() cascade;`);
    this.addSql(`alter table "attendance" drop constraint "attendance_meeting_id_foreign";`);

    this.addSql(`alter table "attendance_change" drop constraint "attendance_change_attendance_id_foreign";`);

    this.addSql(`drop table if exists "meeting" cascade;`);

    this.addSql(`drop table if exists "school_closure" cascade;`);

    this.addSql(`drop table if exists "checkin_throttle" cascade;`);

    this.addSql(`drop table if exists "attendance" cascade;`);

    this.addSql(`drop table if exists "attendance_change" cascade;`);

    this.addSql(`alter table "activity" drop constraint activity_term_valid;`);
    this.addSql(`alter table "activity" drop column "term_starts_on", drop column "term_ends_on";`);
  }
}
