import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestOrigin } from './context.ts';

const request = (headers: Record<string, string>, socket: object = { remoteAddress: '10.0.0.9' }) =>
  ({ headers: { host: 'school.example', ...headers }, socket }) as unknown as IncomingMessage;

const forwarded = {
  'x-forwarded-for': '203.0.113.7, 10.0.0.2',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'activities.mergington.edu',
};

describe('requestOrigin', () => {
  it('believes no X-Forwarded-* header without TRUST_PROXY: anyone can send them', () => {
    expect(requestOrigin(request(forwarded), false)).toEqual({
      clientAddress: '10.0.0.9',
      https: false,
      host: 'school.example',
    });
  });

  it('takes the client’s address, scheme and host from a trusted proxy (the first X-Forwarded-For hop)', () => {
    expect(requestOrigin(request(forwarded), true)).toEqual({
      clientAddress: '203.0.113.7',
      https: true,
      host: 'activities.mergington.edu',
    });
  });

  it('falls back to the socket when a trusted proxy sends no X-Forwarded-* headers', () => {
    expect(requestOrigin(request({}), true)).toEqual({
      clientAddress: '10.0.0.9',
      https: false,
      host: 'school.example',
    });
  });

  it('knows a TLS socket is HTTPS, proxy or not', () => {
    const tls = { remoteAddress: '10.0.0.9', encrypted: true };
    expect(requestOrigin(request({}, tls), false).https).toBe(true);
  });
});
