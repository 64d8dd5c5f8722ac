import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import type { MikroORM } from '@mergington/db';
import { createApiServer } from './server.ts';

/** Serves the API on a free port for the rest of a test file; returns its base URL (no trailing slash). */
export async function startTestServer(orm: MikroORM): Promise<string> {
  const server = createApiServer({ orm, logger: pino({ level: 'silent' }) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
