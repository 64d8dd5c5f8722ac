import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { createApiServer } from './server.ts';

const { orm } = await useTestDatabase();
const lines: string[] = [];
const logger = pino(
  new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }),
);
const server = createApiServer({ orm, logger });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json }),
  });

describe('the logs', () => {
  it('say request id, procedure, duration and outcome, and never a password, token or hash', async () => {
    const password = 'Secret-Passw0rd';
    await post('auth.register', { email: 'logged@mergington.edu', name: 'Logged', grade: 10, password });
    const login = await post(
      'auth.logIn',
      { as: 'student', login: 'logged@mergington.edu', password },
      { 'x-request-id': 'req-42' },
    );
    const token = ((await login.json()) as any).result.data.json.token as string;
    await post('auth.logIn', { as: 'student', login: 'logged@mergington.edu', password: 'wrong-password' });
    await fetch(`${base}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    server.close();

    const entries = lines.map((line) => JSON.parse(line));
    expect(entries).toContainEqual(
      expect.objectContaining({
        reqId: 'req-42',
        procedure: 'auth.logIn',
        outcome: 'ok',
        durationMs: expect.any(Number),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ procedure: 'auth.logIn', outcome: 'UNAUTHORIZED' }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ path: '/trpc/auth.me', status: 200 }));
    const all = lines.join('\\n');
    for (const secret of [password, 'wrong-password', token, '$argon2']) expect(all).not.toContain(secret);
  });
});
