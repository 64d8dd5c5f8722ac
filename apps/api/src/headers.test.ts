import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { startTestServer } from './testing.ts';

// What a browser is told about every answer: where scripts may come from, not to sniff types, not to be
// framed, what Referer to send, and (over HTTPS only) to come back over HTTPS.
const { orm } = await useTestDatabase();
const webDist = await mkdtemp(join(tmpdir(), 'mergington-web-'));
await writeFile(join(webDist, 'index.html'), '<!doctype html><title>app</title>');
const direct = await startTestServer(orm, { webDist });
const behindProxy = await startTestServer(orm, { webDist, trustProxy: true });

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
const securityHeadersOf = (response: Response) =>
  Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, response.headers.get(name)]));

describe('security headers', () => {
  it.each([
    ['the web app', '/', 200],
    ['a client-side route of the web app', '/activities/1', 200, { accept: 'text/html' }],
    ['a path that is neither a file nor asked for as a page', '/activities', 404],
    ['a query', `/trpc/activities.categories?input=${encodeURIComponent('{}')}`, 200],
    ['an unknown procedure', '/trpc/no.such.procedure', 404],
    ['/healthz', '/healthz', 200],
    ['/readyz', '/readyz', 200],
  ])('are sent with %s', async (_, path, status, headers: Record<string, string> = {}) => {
    const response = await fetch(`${direct}${path}`, { headers });
    expect(response.status).toBe(status);
    expect(securityHeadersOf(response)).toEqual(SECURITY_HEADERS);
  });

  it('are sent with a mutation’s refusal too', async () => {
    const response = await fetch(`${direct}/trpc/auth.logOut`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(securityHeadersOf(response)).toEqual(SECURITY_HEADERS);
  });

  it('ask for HTTPS (HSTS) only when the request came over HTTPS, as a trusted proxy says', async () => {
    const hsts = async (base: string, headers: Record<string, string> = {}) =>
      (await fetch(`${base}/healthz`, { headers })).headers.get('strict-transport-security');
    // Plain HTTP: a browser would ignore it, and a developer's http://127.0.0.1 must stay usable.
    expect(await hsts(direct)).toBeNull();
    expect(await hsts(behindProxy)).toBeNull();
    // Behind our proxy (TRUST_PROXY=true), which terminated HTTPS.
    expect(await hsts(behindProxy, { 'x-forwarded-proto': 'https' })).toBe('max-age=31536000');
    // Anyone can send the header to a server that trusts no proxy: it is not believed.
    expect(await hsts(direct, { 'x-forwarded-proto': 'https' })).toBeNull();
  });
});
