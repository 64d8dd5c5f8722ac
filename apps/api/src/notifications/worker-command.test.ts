// The README's `pnpm worker`, run as written (the real pnpm, its install and build steps) on a test
// database: it starts the queue, says so, and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const { url } = await useTestDatabase();

const section = (readme: string, heading: string) => {
  const start = readme.indexOf(`\n${heading}\n`);
  return readme.slice(start, readme.indexOf('\n### ', start + heading.length + 2));
};
const commands = [
  ...section(readFileSync(`${root}README.md`, 'utf8'), '### Notifications').matchAll(
    /^```sh\n([\s\S]*?)^```$/gm,
  ),
].flatMap(([, block]) =>
  block!
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean),
);

describe("the README's notification commands", () => {
  it('is pnpm worker', () => expect(commands).toEqual(['pnpm worker']));

  it(
    'pnpm worker runs the queue, says email is off without SMTP_URL, and stops on SIGTERM',
    { timeout: 180_000 },
    async () => {
      const child = spawn('sh', ['-c', commands[0]!], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, SMTP_URL: '', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      const deadline = Date.now() + 170_000;
      while (!output.includes('the job queue is running') && Date.now() < deadline && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output).toContain('email is off: SMTP_URL is not set');
      expect(output).toContain('the job queue is running');
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      expect(output).toContain('"msg":"stopped"');
    },
  );
});
