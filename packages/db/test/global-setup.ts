import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/embedded.ts';
import { createTemplateDatabase, dropDatabase } from './databases.ts';
import { freePort } from './ports.ts';
import type {} from './test-database.ts'; // declares what setup() provides

/**
 * TEST_DATABASE_URL (CI: the machine's PostgreSQL) when set; otherwise a throwaway embedded PostgreSQL in
 * a temporary folder, so the tests need no server installed.
 */
export default async function setup(project: TestProject) {
  let stopServer = async () => {};
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'mergington-test-pg-'));
    const server = await startEmbeddedPostgres(dataDir, await freePort());
    serverUrl = `${server.serverUrl}/postgres`;
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const template = await createTemplateDatabase(serverUrl);
  project.provide('testServerUrl', serverUrl);
  project.provide('templateDatabase', template);
  return async () => {
    await dropDatabase(serverUrl, template);
    await stopServer();
  };
}
