import { describe, expect, it } from 'vitest';
import { hashPassword } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { createTestStudent, startTestServer } from './testing.ts';

// Over real HTTP: one request batching many logins.
const { orm } = await useTestDatabase();
const base = await startTestServer(orm);
const PASSWORD = 'batch password';

/** One HTTP request calling auth.logIn once per password (tRPC's batch format). */
async function batchedLogins(login: string, passwords: string[]) {
  const inputs = Object.fromEntries(
    passwords.map((password, index) => [index, { json: { as: 'student', login, password } }]),
  );
  const response = await fetch(`${base}/trpc/${passwords.map(() => 'auth.logIn').join(',')}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(inputs),
  });
  return { status: response.status, text: await response.text() };
}

describe('password checks per request', () => {
  it('one request of 100 logins (99 wrong, the last right) yields no session', async () => {
    const { user } = await createTestStudent(orm, { passwordHash: await hashPassword(PASSWORD) });
    const passwords = [...Array.from({ length: 99 }, (_, n) => `guess ${n}`), PASSWORD];
    const { text } = await batchedLogins(user.email, passwords);
    expect(text).not.toMatch(/"token"/);
  });

  it('checks one password per request: the rest of a batch is refused unchecked', async () => {
    const { user } = await createTestStudent(orm, { passwordHash: await hashPassword(PASSWORD) });
    const { status, text } = await batchedLogins(user.email, ['guess', 'another guess', PASSWORD]);
    expect(status).toBe(207); // a batch with different outcomes
    const codes = (JSON.parse(text) as { error?: { json: { data: { code: string } } } }[]).map(
      (item) => item.error?.json.data.code ?? 'ok',
    );
    expect(codes).toEqual(['UNAUTHORIZED', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
  });
});
