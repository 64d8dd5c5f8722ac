import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, databaseUrl, dropDatabase } from '../../test/databases.ts';
import { migrationsList } from '../migrations/index.ts';
import { initORM } from '../orm.ts';

// The database commands as users run them, each a process of its own, on an empty database.
const serverUrl = inject('testServerUrl');
const database = `mergington_scripts_${process.pid}`;
await adminQuery(serverUrl, `drop database if exists ${database} with (force)`);
afterAll(() => dropDatabase(serverUrl, database));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function script(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<Outcome> {
  const file = join(import.meta.dirname, `${name}.ts`);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl(serverUrl, database), ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the database commands', () => {
  it('db:init creates the database, migrates and seeds; a second run changes nothing', async () => {
    const first = await script('init');
    expect(first.stdout).toMatch(
      /created the database; applied Migration\w+_Initial(, Migration\w+)*; seeded the sample data/,
    );
    const second = await script('init');
    expect(second.stdout).toMatch(/database exists; schema up to date; not seeded/);
  });

  it('db:migrate is a no-op the second time, db:migrate:down reverts one, db:migrate re-applies it', async () => {
    expect((await script('migrate', ['up'])).stdout).toMatch(/no pending migrations/);
    const down = await script('migrate', ['down']);
    const reverted = /reverted (Migration\w+)/.exec(down.stdout)?.[1];
    expect(reverted).toBeDefined();
    expect((await script('migrate', ['up'])).stdout).toContain(`applied ${reverted}`);
    expect((await script('migrate', ['up'])).stdout).toMatch(/no pending migrations/);
  });

  it('db:migrate twice and db:init, started at once on a new database, take turns: all succeed, and it is created and migrated once', async () => {
    const together = `${database}_together`;
    const env = { DATABASE_URL: databaseUrl(serverUrl, together) };
    try {
      const outcomes = await Promise.all([
        script('migrate', ['up'], env),
        script('init', [], env),
        script('migrate', ['up'], env),
      ]);
      for (const outcome of outcomes) expect(outcome, outcome.stderr).toMatchObject({ code: 0 });
      const outputs = outcomes.map((outcome) => outcome.stdout);
      // Without turns, two of them create the database (one fails) or run the same migration (one fails).
      expect(outputs.filter((output) => /Migration\w+_Initial/.test(output))).toHaveLength(1);
      expect(outputs.filter((output) => /no pending migrations|schema up to date/.test(output))).toHaveLength(
        2,
      );
    } finally {
      await dropDatabase(serverUrl, together);
    }
  });

  it('db:seed loads the twelve sample activities and three teachers into an empty database only', async () => {
    await adminQuery(serverUrl, `drop database if exists ${database} with (force)`);
    await script('migrate', ['up']);
    expect((await script('seed')).stdout).toMatch(/seeded the sample data/);
    const client = new pg.Client({ connectionString: databaseUrl(serverUrl, database) });
    await client.connect();
    try {
      const { rows } = await client.query(`select
        (select count(*)::int from activity) as activities, (select count(*)::int from student) as students,
        (select count(*)::int from activity_participant where status = 'enrolled') as enrolled,
        (select string_agg(username || ':' || role, ',' order by id) from teacher) as teachers,
        (select password_hash from teacher where username = 'principal') as principal_hash,
        (select row_to_json(a) from (select schedule_days, start_time, end_time, category from activity
          where name = 'Chess Club') a) as chess`);
      expect(rows[0]).toEqual({
        activities: 12,
        students: 23, // 24 participations, one student in two activities
        enrolled: 24,
        teachers: 'mrodriguez:teacher,mchen:teacher,principal:admin',
        principal_hash: expect.stringMatching(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/),
        chess: {
          schedule_days: ['monday', 'friday'],
          start_time: '15:15:00',
          end_time: '16:45:00',
          category: 'Academic',
        },
      });
    } finally {
      await client.end();
    }
    const again = await script('seed');
    expect(again.stdout).toMatch(/the database has data: not seeded/);
  });

  it('db:check passes while the entities and the migrations agree', async () => {
    const check = await script('check');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/entities and migrations agree/);
  });

  it('db:restore reports the migrations it applied only once they are committed, never for a refused restore', async () => {
    const file = join(tmpdir(), `mergington-scripts-${process.pid}.backup.gz`);
    expect((await script('backup', [file])).stdout).toMatch(/^backed up \d+ rows/);
    // A database at the first migration, with data: the restore migrates it, then refuses it.
    const old = `${database}_old`;
    await adminQuery(serverUrl, `create database ${old}`);
    const oldUrl = databaseUrl(serverUrl, old);
    try {
      const orm = await initORM({ url: oldUrl });
      const [first] = await orm.migrator.getPendingMigrations();
      await orm.migrator.up({ to: first!.name });
      await orm.em.fork().getConnection().execute(`insert into committee (name) values ('Old')`);
      await orm.close();

      const refused = await script('restore', [file], { DATABASE_URL: oldUrl });
      expect(refused.code).toBe(1);
      expect(refused.stdout).not.toMatch(/applied|Processing/i);
      expect(refused.stderr.trim()).toBe(
        'error: the database is not empty: restore refuses to mix data (pass --force to replace it)',
      );
      const client = new pg.Client({ connectionString: oldUrl });
      await client.connect();
      const { rows } = await client.query(`select name from mikro_orm_migrations`);
      await client.end();
      expect(rows).toEqual([{ name: first!.name }]);

      const forced = await script('restore', [file, '--force'], { DATABASE_URL: oldUrl });
      expect(forced.stdout.trim()).toMatch(
        /^restored \d+ rows of \d+ tables \(schema Migration\w+; applied Migration\w+(, Migration\w+)* first\); counts and checksums verified$/,
      );
    } finally {
      await dropDatabase(serverUrl, old);
      await rm(file, { force: true });
    }
  });

  it('db:restore of a file that is not there is one line and exit 1', async () => {
    const outcome = await script('restore', ['/nowhere/school.backup.gz']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim()).toBe('error: cannot read /nowhere/school.backup.gz: no such file');
  });

  it('the built db:migrate (what pnpm db:migrate and the production image run) applies every migration with plain node', async () => {
    const root = join(import.meta.dirname, '../../../..');
    await promisify(execFile)('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@mergington/db'], {
      cwd: root,
    });
    const built = `${database}_built`;
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [join(root, 'packages/db/dist/migrate.js'), 'up'],
        { env: { ...process.env, DATABASE_URL: databaseUrl(serverUrl, built) } },
      );
      expect(stdout).toContain(`applied ${migrationsList.map((migration) => migration.name).join(', ')}`);
    } finally {
      await dropDatabase(serverUrl, built);
    }
  });

  it('an unreachable database is one clear line and a non-zero exit, after a short retry', async () => {
    const started = Date.now();
    const outcome = await script('migrate', ['up'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr.trim()).toMatch(
      /^error: Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(.*\)\. Start that server or set DATABASE_URL/,
    );
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThan(1_000);
  });

  it('a malformed setting names the variable', async () => {
    const outcome = await script('migrate', ['up'], { DATABASE_URL: 'mysql://x', DB_POOL_MAX: 'many' });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr.trim()).toBe(
      'error: Invalid environment: DATABASE_URL must be a postgres:// or postgresql:// URL; DB_POOL_MAX Invalid input: expected number, received NaN',
    );
  });
});
