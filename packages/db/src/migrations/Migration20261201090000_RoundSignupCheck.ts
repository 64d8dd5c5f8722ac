import { Migration } from '@mikro-orm/migrations';

/**
 * The checks of a student's own signup in a first-come round, in the database, so that the signup is one
 * statement (ROUND_CHECKED_SIGNUP_STATEMENT) instead of a transaction of seven round trips. A statement's
 * own queries all read one snapshot, taken before it waits for any lock; a volatile function's queries
 * each take a fresh one (in READ COMMITTED), so these checks see what the student's other signups committed
 * while this one waited for their row, as the transaction's later queries do (signUpInRound).
 *
 * The function answers a row only when every rule lets the signup in; anything else (no session, a closed
 * window, a limit, a draw still to place, a duplicate) answers none, and signUpInRound then applies the same
 * rules in a transaction and says why. 15001 is ROUND_LOCKS.opening (round-signups.ts). `rows 1`: planned
 * for the default 1,000 rows, the statement around it cost enough to be compiled by the JIT, 0.55 s a call.
 */
export class Migration20261201090000_RoundSignupCheck extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function round_self_signup_check(
  p_token_hash text, p_activity_id int, p_request_id text, p_client_address text
) returns table (signer_id int, signup_round_id int, checked_at timestamptz, held boolean, results_at timestamptz)
language plpgsql volatile rows 1 as $$
declare
  signer record;
  r record;
  taken int;
begin
  -- The session is held FOR SHARE to the end (a logout waits for the signup), the student's row FOR NO KEY
  -- UPDATE (their signups in a round are counted one after another).
  select st.id, st.name, st.grade, st.must_change_password into signer
    from session s join student st on st.id = s.student_id
   where s.token_hash = p_token_hash and s.expires_at > now()
     for share of s for no key update of st;
  if not found or signer.must_change_password then
    return;
  end if;
  perform set_config('mergington.actor_kind', 'student', true),
          set_config('mergington.actor_id', signer.id::text, true),
          set_config('mergington.actor_name', signer.name, true),
          set_config('mergington.request_id', p_request_id, true),
          set_config('mergington.client_address', p_client_address, true);

  select r0.id, r0.mode, r0.opens_at, r0.closes_at, r0.opening_window_seconds, r0.opening_placed_at,
         r0.max_per_student, r0.no_overlap, a.allowed_grades, ra.cancelled_at, clock_timestamp() as now
    into r
    from signup_round_activity ra
    join signup_round r0 on r0.id = ra.round_id
    join activity a on a.id = ra.activity_id
   where ra.activity_id = p_activity_id;
  if not found or r.cancelled_at is not null or r.mode <> 'first_come'
     or r.now < r.opens_at or r.now >= r.closes_at
     or (r.allowed_grades is not null and not coalesce(signer.grade = any(r.allowed_grades), false)) then
    return;
  end if;

  held := false;
  if r.opening_window_seconds > 0 and r.opening_placed_at is null then
    results_at := r.opens_at + make_interval(secs => r.opening_window_seconds);
    if r.now >= results_at then
      return; -- the opening draw is to be placed first
    end if;
    perform pg_advisory_xact_lock_shared(15001, r.id);
    if (select r1.opening_placed_at from signup_round r1 where r1.id = r.id) is not null then
      return; -- placed while this waited: late, first come from now
    end if;
    held := true;
  else
    results_at := null;
  end if;

  if exists (select from activity_participant p where p.activity_id = p_activity_id and p.student_id = signer.id)
     or exists (select from opening_draw_entry e where e.activity_id = p_activity_id and e.student_id = signer.id) then
    return;
  end if;
  if r.max_per_student is not null then
    select count(*) into taken
      from (select from activity_participant p
              join signup_round_activity ra on ra.activity_id = p.activity_id and ra.round_id = r.id
             where p.student_id = signer.id and ra.cancelled_at is null
            union all
            select from opening_draw_entry e
             where e.round_id = r.id and e.student_id = signer.id and e.draw_position is null) theirs;
    if taken >= r.max_per_student then
      return;
    end if;
  end if;
  if r.no_overlap and exists (
       select from activity this, activity other
        where this.id = p_activity_id and other.id <> this.id
          and other.id in (select p.activity_id from activity_participant p where p.student_id = signer.id
                           union
                           select e.activity_id from opening_draw_entry e
                            where e.student_id = signer.id and e.draw_position is null)
          and this.schedule_days && other.schedule_days
          and this.start_time < other.end_time and other.start_time < this.end_time) then
    return;
  end if;

  signer_id := signer.id;
  signup_round_id := r.id;
  checked_at := r.now;
  return next;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function round_self_signup_check(text, int, text, text);`);
  }
}
