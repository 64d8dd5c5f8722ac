import { Migration } from '@mikro-orm/migrations';

/** The school's tables, each with its `audit` trigger. A table added later attaches it in its own migration. */
const AUDITED = [
  'student',
  'teacher',
  'activity',
  'activity_participant',
  'committee',
  'position',
  'event',
  'event_judge',
  'event_result',
  'activity_group',
  'group_member',
  'news',
  'feedback',
  'payment',
];

/**
 * The audit trail (README: Audit trail). Every write to a school table records who, what and from where, in
 * the writer's transaction: a row trigger reads the actor from transaction-local settings that the API sets
 * at the start of each mutation's transaction (set_config(..., true), so they never outlive it and work
 * through PgBouncer's transaction mode). A table joins with one line: `select attach_audit('<table>')`,
 * naming after it any column whose changes are not worth a row (counters the database keeps itself).
 */
export class Migration20261130011251_AuditTrail extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_log" ("id" serial primary key, "at" timestamptz not null default now(), "actor_kind" text check ("actor_kind" in ('student', 'teacher', 'anonymous', 'import', 'system')) not null, "actor_id" int null, "actor_name" varchar(200) null, "request_id" varchar(64) null, "client_address" varchar(64) null, "table_name" varchar(63) not null, "row_id" int null, "action" text check ("action" in ('insert', 'update', 'delete')) not null, "before" jsonb null, "after" jsonb null, "activity_id" int null, "student_id" int null);`,
    );
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_activity" on "audit_log" ("activity_id", "id");`);
    this.addSql(`create index "audit_log_student" on "audit_log" ("student_id", "id");`);
    this.addSql(`create index "audit_log_actor" on "audit_log" ("actor_kind", "actor_id", "id");`);
    this.addSql(`create index "audit_log_table_row" on "audit_log" ("table_name", "row_id", "id");`);

    // Secrets never reach the log: any column whose name says password, token, secret or hash is left out,
    // in this table and in any table attached later. updated_at and version change with everything else.
    this.addSql(`create function audit_row() returns trigger language plpgsql as $$
declare
  old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  row_data jsonb := coalesce(new_row, old_row);
  secret text[];
  quiet text[];
  before_values jsonb;
  after_values jsonb;
begin
  select coalesce(array_agg(key), '{}') into secret
    from jsonb_object_keys(row_data) key
   where key ~ '(password|token|secret|hash)';
  quiet := secret || array['updated_at', 'version'] || coalesce(tg_argv::text[], '{}');
  if tg_op = 'UPDATE' then
    select jsonb_object_agg(key, old_row -> key), jsonb_object_agg(key, value)
      into before_values, after_values
      from jsonb_each(new_row)
     where (old_row -> key) is distinct from value and key <> all (quiet);
    if after_values is null then
      return null; -- nothing worth recording changed (a counter, a password hash)
    end if;
  else
    before_values := old_row - secret;
    after_values := new_row - secret;
  end if;
  insert into audit_log (actor_kind, actor_id, actor_name, request_id, client_address, table_name, row_id,
                         action, before, after, activity_id, student_id)
  values (
    coalesce(nullif(current_setting('mergington.actor_kind', true), ''), 'system'),
    nullif(current_setting('mergington.actor_id', true), '')::int,
    nullif(current_setting('mergington.actor_name', true), ''),
    nullif(current_setting('mergington.request_id', true), ''),
    nullif(current_setting('mergington.client_address', true), ''),
    tg_table_name,
    case when jsonb_typeof(row_data -> 'id') = 'number' then (row_data ->> 'id')::int end,
    lower(tg_op),
    before_values,
    after_values,
    case when tg_table_name = 'activity' then (row_data ->> 'id')::int
         when jsonb_typeof(row_data -> 'activity_id') = 'number' then (row_data ->> 'activity_id')::int end,
    case when tg_table_name = 'student' then (row_data ->> 'id')::int
         when jsonb_typeof(row_data -> 'student_id') = 'number' then (row_data ->> 'student_id')::int end
  );
  return null;
end $$;`);

    this.addSql(`create function attach_audit(target regclass, variadic unaudited_columns text[] default '{}')
returns void language plpgsql as $$
begin
  execute format(
    'create trigger audit after insert or update or delete on %s for each row execute function audit_row(%s)',
    target,
    (select string_agg(quote_literal(name), ', ') from unnest(unaudited_columns) name));
end $$;`);

    // Append-only for every role, superusers included (which a REVOKE cannot do: the embedded database and
    // the tests connect as one). Only prune_audit_log deletes, and only rows past the 30-day floor.
    this.addSql(`create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('mergington.audit_pruning', true) = 'on'
     and old.at < now() - interval '30 days' then
    return old;
  end if;
  raise exception 'the audit log is append-only: % refused', lower(tg_op) using errcode = '42501';
end $$;`);
    this.addSql(`create function audit_log_refuse_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: truncate refused' using errcode = '42501';
end $$;`);
    this.addSql(
      `create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only();`,
    );
    this.addSql(
      `create trigger audit_log_refuse_truncate before truncate on audit_log for each statement execute function audit_log_refuse_truncate();`,
    );
    this.addSql(`create function prune_audit_log(keep_days int) returns bigint language plpgsql as $$
declare
  pruned bigint;
begin
  perform set_config('mergington.audit_pruning', 'on', true);
  delete from audit_log where at < now() - make_interval(days => greatest(keep_days, 30));
  get diagnostics pruned = row_count;
  perform set_config('mergington.audit_pruning', 'off', true);
  return pruned;
end $$;`);

    for (const table of AUDITED) {
      // The seat counters change with every signup, which is recorded on activity_participant.
      const unaudited = table === 'activity' ? `, 'enrolled_count', 'waitlist_count'` : '';
      this.addSql(`select attach_audit('${table}'${unaudited});`);
    }
  }

  override async down(): Promise<void> {
    for (const table of AUDITED) this.addSql(`drop trigger if exists audit on "${table}";`);
    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop function if exists prune_audit_log(int);`);
    this.addSql(`drop function if exists audit_log_refuse_truncate();`);
    this.addSql(`drop function if exists audit_log_append_only();`);
    this.addSql(`drop function if exists attach_audit(regclass, text[]);`);
    this.addSql(`drop function if exists audit_row();`);
  }
}
