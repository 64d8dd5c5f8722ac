import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '@mergington/api/testing';
import { createClient } from '@mergington/client';
import { databaseFingerprint, useTestDatabase } from '@mergington/db/testing';
import { LEGACY_FIXTURES } from '../test/legacy-fixtures.ts';
import { adminToken } from '../test/admin.ts';
import { tempFiles } from '../test/temp-files.ts';
import { main } from './main.ts';

const { orm } = await useTestDatabase();
const url = `${await startTestServer(orm)}/trpc`;
const sql = <T = any>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

const token = await adminToken(orm);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['import', ...argv, '--url', url, `--token=${token}`],
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('mergington import', () => {
  it('refuses broken input at once, naming file, record and field, and writes nothing', async () => {
    const before = await databaseFingerprint(orm);
    const dir = await tempFiles({
      'activities.json': {
        Chess: {
          description: 'x',
          schedule: 'y',
          max_participants: -1,
          participants: ['bad-email'],
          colour: 'red',
        },
      },
      'broken.json': '{"Chess Club": {"max_participants": 12,}}',
    });
    const result = await run(dir);
    expect(result.code).toBe(1);
    expect(result.err).toContain('activities.json: Chess: colour: unknown field');
    expect(result.err).toContain(
      'activities.json: Chess: max_participants: Too small: expected number to be >=1',
    );
    expect(result.err).toContain(
      'activities.json: Chess: participants[0] (bad-email): Invalid email address',
    );
    expect(result.err).toMatch(/broken\.json: line 1, column \d+: invalid JSON/);
    expect(result.err).toContain('nothing was imported');
    expect(await databaseFingerprint(orm)).toBe(before);
  });

  it('streams the line-delimited canonical format: problems name the line (and column), nothing is written', async () => {
    const before = await databaseFingerprint(orm);
    const dir = await tempFiles({
      'school.jsonl': [
        '{"format":"mergington/v1-lines"}',
        '{"students": {"email": "ada@lines.edu", "name": "Ada"}}',
        '{"students": {"email": "not-an-email", "name": "Bob"}}',
        '',
        '{"activities": {"name": "Lines Club", "maxParticipants": 5,}}',
        '{"clubs": {"name": "x"}}',
      ].join('\n'),
      'nohead.ndjson': '{"students": {"email": "eve@lines.edu", "name": "Eve"}}\n',
    });
    const result = await run(dir);
    expect(result.code).toBe(1);
    expect(result.err).toContain('school.jsonl: line 3 (students): email: Invalid email address');
    expect(result.err).toMatch(/school\.jsonl: line 5, column 60: invalid JSON/);
    expect(result.err).toContain('school.jsonl: line 6: expected one record as {"<table>": {...}}');
    expect(result.err).toContain('nohead.ndjson: line 1: format: a .jsonl file starts with');
    expect(await databaseFingerprint(orm)).toBe(before);
  });

  it('says what a dry run would do, and writes nothing', async () => {
    const before = await databaseFingerprint(orm);
    const result = await run(join(LEGACY_FIXTURES, 'mergington-v3'), '--dry-run', '--json');
    expect(JSON.parse(result.out)).toMatchObject({
      dryRun: true,
      tables: {
        activities: { created: 12 },
        students: { created: 23 },
        participants: { created: 24 },
        teachers: { created: 3 },
      },
    });
    expect(await databaseFingerprint(orm)).toBe(before);
  });

  it('imports mergington-v3 exactly; its teachers log in with their old passwords; a second run changes nothing', async () => {
    const first = await run(join(LEGACY_FIXTURES, 'mergington-v3'));
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^activities\s+12\s+0\s+0$/m);
    expect(first.out).toMatch(/^participants\s+24\s+0\s+0$/m);
    const [counts] =
      await sql(`select (select count(*)::int from activity) as activities, (select count(*)::int from student) as students,
      (select count(*)::int from activity_participant where status = 'enrolled') as enrolled`);
    expect(counts).toEqual({ activities: 12, students: 23, enrolled: 24 });
    const [chess] = await sql(
      `select schedule, schedule_days, start_time::text, end_time::text, max_participants, enrolled_count from activity where name = 'Chess Club'`,
    );
    expect(chess).toEqual({
      schedule: 'Mondays and Fridays, 3:15 PM - 4:45 PM',
      schedule_days: ['monday', 'friday'],
      start_time: '15:15:00',
      end_time: '16:45:00',
      max_participants: 12,
      enrolled_count: 2,
    });
    const client = createClient({ url });
    for (const [login, password] of [
      ['mrodriguez', 'art123'],
      ['mchen', 'chess456'],
      ['principal', 'admin789'],
    ]) {
      await client.auth.logIn.mutate({ as: 'teacher', login: login!, password: password! });
    }

    const before = await databaseFingerprint(orm);
    const second = await run(join(LEGACY_FIXTURES, 'mergington-v3'));
    expect(second.out).toContain('Nothing to change: everything was already there.');
    expect(second.out).toMatch(/^activities\s+0\s+0\s+12$/m);
    expect(await databaseFingerprint(orm)).toBe(before);
  });

  it('imports the older shapes over it: plaintext passwords hashed, new activities added, nothing dropped', async () => {
    const result = await run(
      join(LEGACY_FIXTURES, 'mergington-v1'),
      join(LEGACY_FIXTURES, 'mergington-v2'),
      '--json',
    );
    const report = JSON.parse(result.out);
    expect(report.tables.teachers).toEqual({ created: 2, updated: 0, unchanged: 0 });
    // v1/v2 schedules differ from v3's: those activities are updated to the older text (the later file wins).
    expect(report.tables.activities.created).toBe(1); // Gym Class, which v3 renamed
    const [smith] = await sql(`select password_hash from teacher where username = 'msmith'`);
    expect(smith.password_hash).toMatch(/^\$argon2id\$/);
    await createClient({ url }).auth.logIn.mutate({ as: 'teacher', login: 'msmith', password: 'teacher123' });
  });

  it('keeps participants beyond the seats, enrolled with a warning or, with --overflow waitlist, in line', async () => {
    const participants = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x}@overflow.edu`);
    const dir = await tempFiles({
      'activities.json': { Tiny: { description: '', schedule: '', max_participants: 3, participants } },
    });
    const enrolled = await run(dir);
    expect(enrolled.out).toContain('warning: Tiny: 5 enrolled for 3 seats: 2 beyond them were kept enrolled');
    const dir2 = await tempFiles({
      'activities.json': { Tiny2: { description: '', schedule: '', max_participants: 3, participants } },
    });
    await run(dir2, '--overflow', 'waitlist');
    const rows =
      await sql(`select s.email, p.status from activity_participant p join student s on s.id = p.student_id
      join activity a on a.id = p.activity_id where a.name = 'Tiny2' order by p.id`);
    expect(rows.map((r) => r.status)).toEqual([
      'enrolled',
      'enrolled',
      'enrolled',
      'waitlisted',
      'waitlisted',
    ]);
    expect(rows.map((r) => r.email)).toEqual(participants);
  });

  it('reads the canonical format for every table', async () => {
    const dir = await tempFiles({
      'school.json': {
        format: 'mergington/v1',
        students: [{ email: 'kim@canon.edu', name: 'Kim Lee', grade: 11 }],
        activities: [{ name: 'Canon Club', maxParticipants: 5, participants: [{ email: 'kim@canon.edu' }] }],
        committees: [{ name: 'Canon Council' }],
        positions: [
          {
            committee: 'Canon Council',
            studentEmail: 'kim@canon.edu',
            positionName: 'Chair',
            termStart: '2026-09-01',
          },
        ],
        events: [
          {
            activity: 'Canon Club',
            name: 'Cup',
            date: '2026-12-01T15:00:00Z',
            prizes: [{ place: 1, description: 'Cup' }],
            judges: [{ name: 'Dr. Who' }],
          },
        ],
        groups: [{ activity: 'Canon Club', name: 'Solo', leaderEmail: 'kim@canon.edu' }],
        news: [{ title: 'Welcome', content: 'Hello', category: 'new_activity', activity: 'Canon Club' }],
        feedback: [{ activity: 'Canon Club', studentEmail: 'kim@canon.edu', rating: 5, review: 'Great' }],
        payments: [
          {
            studentEmail: 'kim@canon.edu',
            activity: 'Canon Club',
            amountCents: 2500,
            status: 'paid',
            paymentDate: '2026-10-01T00:00:00Z',
            method: 'cash',
          },
        ],
      },
    });
    const result = await run(dir, '--json');
    const report = JSON.parse(result.out);
    for (const table of [
      'students',
      'activities',
      'participants',
      'committees',
      'positions',
      'events',
      'groups',
      'news',
      'feedback',
      'payments',
    ]) {
      expect(report.tables[table], table).toEqual({ created: 1, updated: 0, unchanged: 0 });
    }
    const again = JSON.parse((await run(dir, '--json')).out);
    for (const table of [
      'students',
      'activities',
      'committees',
      'positions',
      'events',
      'groups',
      'news',
      'feedback',
      'payments',
    ]) {
      expect(again.tables[table], table).toEqual({ created: 0, updated: 0, unchanged: 1 });
    }
  });

  it('writes nothing when the server refuses part of it, and nothing when the upload never commits', async () => {
    const before = await databaseFingerprint(orm);
    const dir = await tempFiles({
      'school.json': {
        format: 'mergington/v1',
        activities: [{ name: 'Half Club', maxParticipants: 5, participants: [{ email: 'half@x.edu' }] }],
        positions: [
          {
            committee: 'No Such Council',
            studentEmail: 'half@x.edu',
            positionName: 'Chair',
            termStart: '2026-09-01',
          },
        ],
      },
    });
    await expect(run(dir)).rejects.toThrow(/no committee named No Such Council/);
    expect(await databaseFingerprint(orm)).toBe(before);

    // An importer killed after sending its parts, before committing.
    const client = createClient({ url, token });
    const { uploadId } = await client.import.begin.mutate();
    await client.import.part.mutate({
      uploadId,
      seq: 0,
      part: { committees: [{ name: 'Never Committed' }] },
    });
    expect(await databaseFingerprint(orm)).toBe(before);
  });
  it('imports a line-delimited file in parts, in file order (a committee before its positions)', async () => {
    const students = Array.from({ length: 12_000 }, (_, n) =>
      JSON.stringify({ students: { email: `line${n}@lines.edu`, name: `Line ${n}` } }),
    );
    const dir = await tempFiles({
      'big.jsonl': [
        '{"format":"mergington/v1-lines"}',
        ...students,
        JSON.stringify({
          activities: {
            name: 'Lines Club',
            maxParticipants: 3,
            participants: [{ email: 'line0@lines.edu' }, { email: 'line1@lines.edu' }],
          },
        }),
        JSON.stringify({ committees: { name: 'Lines Committee' } }),
        JSON.stringify({
          positions: {
            committee: 'Lines Committee',
            studentEmail: 'line2@lines.edu',
            positionName: 'Chair',
            termStart: '2026-09-01',
          },
        }),
      ].join('\n'),
    });
    const result = await run(dir, '--json');
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.tables.students.created).toBe(12_000);
    expect(report.tables.participants.created).toBe(2);
    expect(report.tables.positions.created).toBe(1);
    const [club] = await sql(`select enrolled_count from activity where name = 'Lines Club'`);
    expect(club).toEqual({ enrolled_count: 2 });
  });

  it('fills seats in file order when an activity’s lists come in several records and parts', async () => {
    const activity = (emails: string[]) =>
      JSON.stringify({
        activities: {
          name: 'Split Club',
          maxParticipants: 3,
          participants: emails.map((email) => ({ email: `${email}@split.edu` })),
        },
      });
    const filler = Array.from({ length: 6_000 }, (_, n) =>
      JSON.stringify({ students: { email: `filler${n}@split.edu`, name: `Filler ${n}` } }),
    );
    const dir = await tempFiles({
      'split.jsonl': [
        '{"format":"mergington/v1-lines"}',
        activity(['a', 'b']),
        activity(['a', 'c']), // the same part: c takes the last seat
        ...filler, // the next record comes in another part
        activity(['d', 'b', 'e']),
      ].join('\n'),
    });
    const result = await run(dir, '--overflow', 'waitlist', '--json');
    expect(result.code, result.err).toBe(0);
    const rows =
      await sql(`select s.email, p.status from activity_participant p join student s on s.id = p.student_id
      join activity a on a.id = p.activity_id where a.name = 'Split Club' order by p.id`);
    expect(rows).toEqual([
      { email: 'a@split.edu', status: 'enrolled' },
      { email: 'b@split.edu', status: 'enrolled' },
      { email: 'c@split.edu', status: 'enrolled' },
      { email: 'd@split.edu', status: 'waitlisted' },
      { email: 'e@split.edu', status: 'waitlisted' },
    ]);
    const [club] = await sql(`select enrolled_count, waitlist_count from activity where name = 'Split Club'`);
    expect(club).toEqual({ enrolled_count: 3, waitlist_count: 2 });
  });
});

describe('mergington backup and restore (admins, through the API)', () => {
  it('downloads a backup that restores, and refuses to restore over data without --force', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'mergington-cli-backup-')), 'school.backup.gz');
    const auth = ['--url', url, `--token=${token}`];
    const out: string[] = [];
    expect(await main(['backup', file, ...auth], (line) => out.push(line))).toBe(0);
    expect(out[0]).toMatch(/^backed up \d+ rows \(schema Migration\w+\) to /);
    await expect(main(['restore', file, ...auth], () => {})).rejects.toThrow(/not empty/);
    const before = await databaseFingerprint(orm, [
      'mikro_orm_migrations',
      'import_chunk',
      'login_throttle',
      'session',
    ]);
    expect(await main(['restore', file, '--force', ...auth], (line) => out.push(line))).toBe(0);
    expect(out.at(-1)).toMatch(/^restored \d+ rows; counts and checksums verified$/);
    expect(
      await databaseFingerprint(orm, ['mikro_orm_migrations', 'import_chunk', 'login_throttle', 'session']),
    ).toBe(before);
  });
});
