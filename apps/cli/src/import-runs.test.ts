import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '@mergington/api/testing';
import { databaseFingerprint, useTestDatabase } from '@mergington/db/testing';
import { adminLogin } from '../test/admin.ts';
import { tempFiles } from '../test/temp-files.ts';
import { main } from './main.ts';

const { orm } = await useTestDatabase();
const url = `${await startTestServer(orm)}/trpc`;
const sql = <T = any>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

const { id: adminId, argv: asAdmin } = await adminLogin(orm);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['import', ...argv],
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const activities = {
  'activities.json': {
    Runs: { description: '', schedule: '', max_participants: 3, participants: ['a@runs.edu'] },
  },
};

describe('mergington import: what a run says and leaves behind', () => {
  it('says that no importable file was found, and fails, for an empty folder or one without JSON files', async () => {
    const before = await databaseFingerprint(orm);
    for (const dir of [await tempFiles({}), await tempFiles({ 'notes.txt': 'hello', 'data.csv': 'a,b' })]) {
      const result = await run(dir, '--url', url, ...asAdmin);
      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `error: no importable file in ${dir}: the importer reads .json, .jsonl and .ndjson files`,
      );
    }
    expect(await databaseFingerprint(orm)).toBe(before);
  });

  it('with no server at the address, names the address and asks whether the API is running', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = `http://127.0.0.1:${port}/trpc`;
    await expect(run(await tempFiles(activities), '--url', nowhere, ...asAdmin)).rejects.toThrow(
      `cannot reach the API at ${nowhere} (ECONNREFUSED): is the API running, and is this its address? (--url or MERGINGTON_URL)`,
    );
  });

  it('with a server that is not the API at the address, says so and asks whether it is the API’s address', async () => {
    const html = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Welcome</title>');
    });
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    afterAll(() => new Promise((resolve) => html.close(resolve)));
    const website = `http://127.0.0.1:${(html.address() as AddressInfo).port}/`;
    for (const argv of [asAdmin, ['--token', 'some-token']]) {
      await expect(run(await tempFiles(activities), '--url', website, ...argv)).rejects.toThrow(
        `${website} answered, but not as the Mergington API (HTTP 200, text/html; charset=utf-8): is this the API's tRPC address, ending in /trpc? (--url or MERGINGTON_URL)`,
      );
    }
  });

  it('closes the session it opened with --login, after a dry run, an import and a refused import', async () => {
    const sessions = async () =>
      (await sql<{ n: number }>(`select count(*)::int as n from session where teacher_id = ?`, [adminId]))[0]!
        .n;
    const dir = await tempFiles(activities);
    expect((await run(dir, '--url', url, ...asAdmin, '--dry-run')).code).toBe(0);
    expect(await sessions()).toBe(0);
    expect((await run(dir, '--url', url, ...asAdmin)).out).toContain('Imported.');
    expect(await sessions()).toBe(0);
    const refused = await tempFiles({
      'school.json': {
        format: 'mergington/v1',
        positions: [
          {
            committee: 'No Such Council',
            studentEmail: 'a@runs.edu',
            positionName: 'Chair',
            termStart: '2026-09-01',
          },
        ],
      },
    });
    await expect(run(refused, '--url', url, ...asAdmin)).rejects.toThrow(
      /no committee named No Such Council/,
    );
    expect(await sessions()).toBe(0);
  });

  it('imports a participant list with international addresses and a users.json whose usernames are emails', async () => {
    const dir = await tempFiles({
      'activities.json': {
        Welt: {
          description: '',
          schedule: '',
          max_participants: 5,
          participants: ['Zoë.Ünal@Bücher.de', 'ana@bücher.de'],
        },
      },
      'users.json': {
        users: [
          {
            username: 'lee.staff@bücher.de',
            password_hash: 'ab'.repeat(32),
            role: 'staff',
            full_name: 'Lee Staff',
          },
        ],
      },
    });
    const result = await run(dir, '--url', url, ...asAdmin);
    expect(result.code, result.err).toBe(0);
    expect(
      await sql(`select email from student where email like '%xn--bcher-kva.de' order by email`),
    ).toEqual([{ email: 'ana@xn--bcher-kva.de' }, { email: 'zoë.ünal@xn--bcher-kva.de' }]);
    expect(await sql(`select username, email, name, role from teacher where username = 'lee.staff'`)).toEqual(
      [{ username: 'lee.staff', email: 'lee.staff@xn--bcher-kva.de', name: 'Lee Staff', role: 'teacher' }],
    );
  });
});
