import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { countLoginAttempt, loginAttemptSucceeded } from './login-throttle.ts';

const { orm } = await useTestDatabase();

describe('a login takes its counters’ row locks in one order', () => {
  it('a success taking its count back cannot deadlock with a parallel attempt on the same counters', async () => {
    const attempt = await countLoginAttempt(orm.em.fork(), 'student#deadlock', '10.0.9.9');
    const keys = attempt.counted.map((counter) => counter.key).sort();
    expect(keys).toEqual(['account:student#deadlock', 'address:10.0.9.9', 'pair:10.0.9.9 student#deadlock']);

    // A parallel attempt as countLoginAttempt takes them: the first key in sorted order, then the rest.
    let success!: Promise<string>;
    await orm.em.fork().transactional(async (parallel) => {
      await parallel.execute(`select 1 from login_throttle where key = ? for update`, [keys[0]]);
      success = orm.em
        .fork()
        .transactional((tx) => loginAttemptSucceeded(tx, attempt))
        .then(
          () => 'ok',
          (error: Error) => error.message,
        );
      await vi.waitFor(async () => {
        const [waiting] = await orm.em
          .fork()
          .execute<{ count: number }[]>(`select count(*)::int as count from pg_locks where not granted`);
        expect(waiting!.count).toBeGreaterThan(0);
      });
      await parallel.execute(`select 1 from login_throttle where key in (?, ?) order by key for update`, [
        keys[1],
        keys[2],
      ]);
    });
    // The parallel attempt ended (no deadlock on its side), and the success then went ahead.
    expect(await success).toBe('ok');
  });
});
