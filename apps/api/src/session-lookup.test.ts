import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { createTestStudent, startTestServer } from './testing.ts';

// The procedures of one batched request share its credentials, so they share one session lookup: a
// signed-in page's batch of reads costs one round trip for who is calling, not one per call.
const { orm } = await useTestDatabase();
const base = await startTestServer(orm);

afterEach(() => vi.restoreAllMocks());

describe('the session lookup', () => {
  it('runs once for a batch of calls that need the caller', async () => {
    const { token } = await createTestStudent(orm);
    const execute = vi.spyOn(orm.em.getConnection(), 'execute');
    const paths = ['auth.session', 'signups.mine', 'positions.mine', 'events.list'];
    const input = encodeURIComponent(
      JSON.stringify(Object.fromEntries(paths.map((_, i) => [i, { json: {} }]))),
    );
    const res = await fetch(`${base}/trpc/${paths.join(',')}?batch=1&input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result?: unknown }[]).every((answer) => answer.result)).toBe(true);
    const lookups = execute.mock.calls.filter(([sql]) => String(sql).includes('from session s'));
    expect(lookups).toHaveLength(1);
  });
});
