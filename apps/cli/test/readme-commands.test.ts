// Every command line of the README's `sh` blocks on importing, backup and restore, run exactly as written
// with the real pnpm against a real API and database: the README cannot show a command that fails.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '@mergington/api/testing';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { LEGACY_FIXTURES } from './legacy-fixtures.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SECTIONS = ['## Reports and exports', "## Importing the old app's data", '## Backup and restore'];

/** The non-comment lines of the `sh` blocks of the named sections, trailing comments removed. */
function readmeCommands(readme: string, sections: string[]): string[] {
  return sections.flatMap((heading) => {
    const start = readme.indexOf(`\n${heading}\n`);
    if (start < 0) throw new Error(`the README has no section "${heading}"`);
    const end = readme.indexOf('\n## ', start + heading.length + 2);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap(([, block]) =>
      block!
        .split('\n')
        .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
        .filter(Boolean),
    );
  });
}

const commands = readmeCommands(readFileSync(join(root, 'README.md'), 'utf8'), SECTIONS);

// The commands run from a folder of the checkout (pnpm finds the root's scripts from there) next to
// `old-app/data/`, which holds the old app's files: the README's `../old-app/data/`. Its backups land there too.
const place = join(root, '.data', `readme-commands-${process.pid}`);
const cwd = join(place, 'checkout');
mkdirSync(cwd, { recursive: true });
cpSync(join(LEGACY_FIXTURES, 'mergington-v3'), join(place, 'old-app/data'), { recursive: true });
afterAll(() => rmSync(place, { recursive: true, force: true }));

// The sample data the README describes (teachers `principal` / `admin789`...), behind a running API.
const { orm, url: databaseUrl } = await useTestDatabase();
await seedSampleData(orm);
const apiUrl = `${await startTestServer(orm)}/trpc`;

function sh(command: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('sh', ['-c', command], {
    cwd,
    env: { ...process.env, DATABASE_URL: databaseUrl, MERGINGTON_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe("the README's importer, backup and restore commands", () => {
  it('are found: at least an import through each entry point, a backup and a restore', () => {
    expect(commands.some((c) => c.startsWith('pnpm mergington import '))).toBe(true);
    expect(commands.some((c) => c.startsWith('pnpm --filter cli run import '))).toBe(true);
    expect(commands.some((c) => c.startsWith('pnpm db:backup'))).toBe(true);
    expect(commands.some((c) => c.startsWith('pnpm db:restore '))).toBe(true);
    expect(commands.some((c) => c.startsWith('pnpm mergington export '))).toBe(true);
  });

  it.each(commands)('%s', { timeout: 120_000 }, async (command) => {
    const { code, output } = await sh(command);
    expect(code, output).toBe(0);
  });
});
