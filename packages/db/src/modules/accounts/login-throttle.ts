import type { EntityManager } from '@mikro-orm/postgresql';
import { TooManyAttemptsError } from '../../errors.ts';
import { pgArray } from '../../sql.ts';

/** How many attempts a counter lets through within its window, and how long it then locks. */
interface ThrottleRule {
  freeAttempts: number;
  windowSeconds: number;
  lockSeconds: number;
  /** Each attempt past the free ones locks twice as long as the one before (up to a day). */
  doubling: boolean;
}

/**
 * The login throttle (README "Accounts and sessions"). Attempts are counted BEFORE the password is
 * checked, under row locks, so that parallel or batched attempts get no more checks than sequential ones;
 * a success takes its own count back.
 */
export const LOGIN_THROTTLE = {
  /** One account from one client address: the guesser's own lock, which never shuts the owner out elsewhere. */
  accountFromAddress: { freeAttempts: 5, windowSeconds: 24 * 3600, lockSeconds: 60, doubling: true },
  /** One address across accounts (password spraying). */
  address: { freeAttempts: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60, doubling: false },
  /** One account from every address (guessing from many addresses). */
  account: { freeAttempts: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60, doubling: false },
  /**
   * An address that signed in to an account within this many days is known to it: only its own
   * account-from-address counter applies, so neither an attack from elsewhere nor a crowded address
   * shuts the owner out.
   */
  knownAddressDays: 90,
} satisfies Record<string, ThrottleRule | number>;

const MAX_LOCK_SECONDS = 24 * 3600;

/** An attempt that was let through, and what it counted (to take back if it succeeds). */
export interface CountedAttempt {
  counted: { key: string; failures: number; accountFromAddress: boolean }[];
}

interface CounterRow {
  key: string;
  failures: number;
  window_age_seconds: number;
  locked_for_seconds: number | null;
  known: boolean;
}

/**
 * Counts one login attempt for `account` (an id or a name: accountKey) from `clientAddress`, or refuses it
 * with TooManyAttemptsError when a counter that applies is locked. Its own transaction: the count must
 * stand whatever happens to the login after it.
 */
export async function countLoginAttempt(
  em: EntityManager,
  account: string,
  clientAddress: string,
): Promise<CountedAttempt> {
  // An address has no spaces (and is at most 64 characters, an IPv6 one 45), so these keys never collide.
  const address = clientAddress.replace(/\s/g, '').slice(0, 64);
  const keys = {
    accountFromAddress: `pair:${address} ${account}`,
    address: `address:${address}`,
    account: `account:${account}`,
  };
  return em.transactional(async (tx) => {
    const sorted = Object.values(keys).sort(); // one lock order for every attempt: no deadlocks
    await tx.execute(
      `insert into login_throttle (key) values ${sorted.map(() => '(?)').join(', ')} on conflict do nothing`,
      sorted,
    );
    const rows = await tx.execute<CounterRow[]>(
      `select key, failures,
              extract(epoch from now() - window_started_at)::float8 as window_age_seconds,
              case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end
                as locked_for_seconds,
              coalesce(last_success_at > now() - make_interval(days => ?), false) as known
         from login_throttle where key in (?, ?, ?) order by key for update`,
      [LOGIN_THROTTLE.knownAddressDays, ...sorted],
    );
    const row = (key: string) => rows.find((candidate) => candidate.key === key)!;
    const known = row(keys.accountFromAddress).known;
    const applying = (
      known ? (['accountFromAddress'] as const) : (['accountFromAddress', 'address', 'account'] as const)
    ).map((name) => ({ name, rule: LOGIN_THROTTLE[name], row: row(keys[name]) }));

    const lockedFor = Math.max(0, ...applying.map(({ row }) => row.locked_for_seconds ?? 0));
    if (lockedFor > 0) throw new TooManyAttemptsError(lockedFor);

    const counted = applying.map(({ name, rule, row }) => {
      const newWindow = row.window_age_seconds > rule.windowSeconds;
      const failures = newWindow ? 1 : row.failures + 1;
      // The attempt that uses up the free ones locks at once, before its password is checked: later
      // attempts wait for its outcome (a success lifts the lock it set; see loginAttemptSucceeded).
      const lockSeconds =
        failures < rule.freeAttempts
          ? null
          : Math.min(
              MAX_LOCK_SECONDS,
              rule.doubling ? rule.lockSeconds * 2 ** (failures - rule.freeAttempts) : rule.lockSeconds,
            );
      return {
        key: row.key,
        failures,
        newWindow,
        lockSeconds,
        accountFromAddress: name === 'accountFromAddress',
      };
    });
    // One statement for every counter (the rows are locked above, so their order no longer matters).
    await tx.execute(
      `update login_throttle t
          set failures = v.failures,
              window_started_at = case when v.new_window then now() else t.window_started_at end,
              locked_until = now() + make_interval(secs => v.lock_seconds)
         from unnest(?::text[], ?::int[], ?::boolean[], ?::float8[]) as v(key, failures, new_window, lock_seconds)
        where t.key = v.key`,
      [
        pgArray(counted.map((counter) => counter.key)),
        pgArray(counted.map((counter) => counter.failures)),
        pgArray(counted.map((counter) => counter.newWindow)),
        pgArray(counted.map((counter) => counter.lockSeconds)),
      ],
    );
    return { counted };
  });
}

/**
 * Takes a successful attempt's count back, in the login's transaction. A lock it set itself (no attempt
 * was counted after it) is lifted; a lock set by a later attempt stays in force. The address becomes
 * known to the account, and its own counter starts again.
 */
export async function loginAttemptSucceeded(em: EntityManager, attempt: CountedAttempt): Promise<void> {
  // In countLoginAttempt's lock order (by key): in another order, it deadlocks with a parallel attempt.
  const inLockOrder = [...attempt.counted].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const { key, failures, accountFromAddress } of inLockOrder) {
    await em.execute(
      `update login_throttle
          set failures = case when failures = ? and ? then 0 else greatest(failures - 1, 0) end,
              locked_until = case when failures = ? then null else locked_until end,
              last_success_at = case when ? then now() else last_success_at end
        where key = ?`,
      [failures, accountFromAddress, failures, accountFromAddress, key],
    );
  }
}
