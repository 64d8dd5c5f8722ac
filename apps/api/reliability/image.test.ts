// The production image's steps without Docker (none runs here): a copy of the build context, the build
// stage's database scripts, a production-only install, the migrate service's command, then the image's CMD
// as a non-root user, until /readyz. (The web build is left out: it only adds static files.)
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseIfMissing } from '@mergington/db';
import { freePort } from '@mergington/db/testing/ports';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mergington-image-'));
chmodSync(work, 0o755);
const app = join(work, 'app');
const database = `mergington_image_${process.pid}`;
const url = (() => {
  const value = new URL(inject('testServerUrl'));
  value.pathname = `/${database}`;
  return value.toString();
})();
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: inject('testServerUrl') });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
});

// The image runs as `node`; here as `nobody` when we are root, which owns none of the files either.
const asUser: SpawnOptions =
  process.getuid?.() === 0
    ? {
        uid: Number(execFileSync('id', ['-u', 'nobody']).toString()),
        gid: Number(execFileSync('id', ['-g', 'nobody']).toString()),
      }
    : {};
const userEnv = { ...process.env, HOME: work, npm_config_update_notifier: 'false', DATABASE_URL: url };

function run(command: string, args: string[], options: SpawnOptions & { timeoutMs?: number } = {}) {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  return {
    child,
    done: new Promise<{ code: number | null; output: string; ms: number }>((resolve) =>
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output, ms: performance.now() - started });
      }),
    ),
  };
}

describe("the production image's steps", () => {
  it('installs production dependencies only, migrates once, and starts as a non-root user until /readyz', async () => {
    // COPY . . with .dockerignore's exclusions.
    let started = performance.now();
    const ignored = /(^|\/)(node_modules|dist|\.turbo|\.data|\.git|coverage|\.env)$/;
    cpSync(root, app, { recursive: true, filter: (source) => !ignored.test(relative(root, source)) });
    const copyMs = performance.now() - started;
    // The build stage's `turbo run build` of the database scripts and the API's bundle, made in the
    // checkout and copied in.
    const build = await run(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@mergington/db', '--filter=@mergington/api'],
      { cwd: root },
    ).done;
    expect(build.code, build.output).toBe(0);
    for (const dist of ['packages/db/dist', 'apps/api/dist'])
      cpSync(join(root, dist), join(app, dist), { recursive: true });

    const install = await run('pnpm', ['install', '--frozen-lockfile', '--prod', '--offline'], {
      cwd: app,
      env: { ...process.env, CI: 'true' },
    }).done;
    expect(install.code, install.output).toBe(0);
    const devOnly = ['vitest', 'eslint', 'prettier', 'turbo', 'fast-check'].filter((name) =>
      readdirSync(join(app, 'node_modules/.pnpm')).some((entry) => entry.startsWith(`${name}@`)),
    );
    const sizeMb = Number(
      execFileSync('du', ['-sm', join(app, 'node_modules')])
        .toString()
        .split('\t')[0],
    );
    expect(devOnly).toEqual([]);
    chmodSync(app, 0o755);

    await createDatabaseIfMissing(url);
    const port = await freePort();
    const startEnv = {
      ...userEnv,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SEED_SAMPLE_DATA: 'false',
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
      API_WORKERS: '2', // the image's default is the cores: two, as on a small host
    };
    const cmd = ['dist/main.js'];

    // A replica started before the deploy's migration refuses to run.
    const early = await run(process.execPath, cmd, { cwd: join(app, 'apps/api'), env: startEnv, ...asUser })
      .done;
    expect(early.code).toBe(1);
    expect(early.output).toMatch(/migration\(s\) pending .*run pnpm db:migrate first/);

    // The migrate service (compose.yaml), in /app.
    const migrate = await run(process.execPath, ['packages/db/dist/migrate.js', 'up'], {
      cwd: app,
      env: userEnv,
      ...asUser,
    }).done;
    expect(migrate.code, migrate.output).toBe(0);
    expect(migrate.output).toMatch(/applied Migration/);

    // The app service: the image's CMD in /app/apps/api.
    started = performance.now();
    const server = run(process.execPath, cmd, { cwd: join(app, 'apps/api'), env: startEnv, ...asUser });
    let ready = 0;
    while (performance.now() - started < 30_000) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const readyMs = performance.now() - started;
    const list = await fetch(
      `http://127.0.0.1:${port}/trpc/activities.list?input=${encodeURIComponent('{"json":{}}')}`,
    );
    server.child.kill('SIGTERM');
    const stopped = await server.done;

    console.log(
      [
        "production image's steps, without Docker:",
        `  copy of the build context ${copyMs.toFixed(0)} ms; production install ${install.ms.toFixed(0)} ms, node_modules ${sizeMb} MB, dev-only packages present: ${devOnly.length}`,
        `  app before the migration: exit ${early.code} (${early.output.trim().split('\n').at(-1)!.slice(0, 140)}...)`,
        `  node packages/db/dist/migrate.js up as ${asUser.uid === undefined ? 'this user' : 'nobody'}: exit ${migrate.code} in ${migrate.ms.toFixed(0)} ms`,
        `  node dist/main.js (2 workers): /readyz ${ready} after ${readyMs.toFixed(0)} ms; activities.list ${list.status}; SIGTERM: exit ${stopped.code}`,
      ].join('\n'),
    );
    expect(ready).toBe(200);
    expect(list.status).toBe(200);
    expect(stopped.code).toBe(0);
    expect(existsSync(join(app, 'apps/api/node_modules/vitest'))).toBe(false);
  });
});
