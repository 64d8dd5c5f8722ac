import { Migration } from '@mikro-orm/migrations';

/**
 * Bulk loads may defer the seat counters: with mergington.defer_seat_counts on for their transaction, the
 * signup trigger skips its per-row update (which, repeated on one activity row, grows slower with every
 * row), and the load recounts every activity's seats once before it commits.
 */
export class Migration20261125224500_DeferredSeatCounts extends Migration {
  override async up(): Promise<void> {
    this
      .addSql(`create or replace function activity_participant_counts() returns trigger language plpgsql as $$
declare
  enrolled_delta int := 0;
  waitlist_delta int := 0;
begin
  -- Bulk loads (import, restore) count the seats once at the end instead (see recountSeats).
  if current_setting('mergington.defer_seat_counts', true) = 'on' then
    return null;
  end if;
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
  }

  override async down(): Promise<void> {
    this
      .addSql(`create or replace function activity_participant_counts() returns trigger language plpgsql as $$
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
  }
}
