import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEGACY_FIXTURES } from '../../test/legacy-fixtures.ts';
import { canonicalJsonSchema } from '@mergington/contract';
import { describeProblem, readLegacyFiles, type SourceFile } from './legacy.ts';

const fixture = (path: string): SourceFile => ({
  name: path,
  text: readFileSync(join(LEGACY_FIXTURES, path), 'utf8'),
});
const file = (name: string, value: unknown): SourceFile => ({ name, text: JSON.stringify(value, null, 2) });

describe('reading the old app’s files', () => {
  it('reads v1 activities (object keyed by name, free-text schedule) and their participants as students', () => {
    const { dataset, problems, formats } = readLegacyFiles([fixture('mergington-v1/activities.json')]);
    expect(problems).toEqual([]);
    expect(formats).toEqual({ 'mergington-v1/activities.json': 'activities' });
    expect(dataset.activities).toHaveLength(3);
    expect(dataset.activities![0]).toMatchObject({
      name: 'Chess Club',
      schedule: 'Fridays, 3:30 PM - 5:00 PM',
      scheduleDays: null,
      maxParticipants: 12,
      participants: [{ email: 'michael@mergington.edu' }, { email: 'daniel@mergington.edu' }],
    });
    expect(dataset.students).toContainEqual({
      email: 'michael@mergington.edu',
      name: 'Michael',
      grade: null,
    });
  });

  it('reads v2 (plaintext teachers under "teachers") and v3 (structured schedules, argon2 teachers) together', () => {
    const { dataset, problems } = readLegacyFiles(
      [
        'mergington-v2/activities.json',
        'mergington-v2/teachers.json',
        'mergington-v3/activities.json',
        'mergington-v3/teachers.json',
      ].map(fixture),
    );
    expect(problems).toEqual([]);
    // v3 replaces v2's Chess Club, keeping every participant any file listed.
    const chess = dataset.activities!.find((activity) => activity.name === 'Chess Club')!;
    expect(chess).toMatchObject({
      scheduleDays: ['monday', 'friday'],
      startTime: '15:15',
      endTime: '16:45',
      maxParticipants: 12,
    });
    // v2’s Gym Class is not in v3: it is kept (nothing is dropped).
    expect(dataset.activities).toHaveLength(13);
    expect(dataset.teachers!.map((t) => [t.username, t.email, t.role])).toEqual([
      ['msmith', 'msmith@mergington.edu', 'teacher'],
      // v2 had no roles: everyone becomes a teacher (least privilege), whatever the username says.
      ['admin', 'admin@mergington.edu', 'teacher'],
      ['mrodriguez', 'mrodriguez@mergington.edu', 'teacher'],
      ['mchen', 'mchen@mergington.edu', 'teacher'],
      ['principal', 'principal@mergington.edu', 'admin'],
    ]);
    expect(dataset.teachers![0]).toMatchObject({ password: 'teacher123' });
    expect(dataset.teachers![4]!.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('reads every other teacher shape: keyed objects, a flat map, PBKDF2 entries, users.json with SHA-256', () => {
    const { dataset, problems } = readLegacyFiles(
      [
        file('teachers-keyed.json', {
          teachers: { msmith: { password: 'teacher123', name: 'Ms. Smith', role: 'staff' } },
        }),
        file('teachers-flat.json', { jdoe: 'secret-1' }),
        file('teachers-pbkdf2.json', {
          teachers: {
            kpatel: { salt: 'abc', iterations: 1000, password_hash: 'aa'.repeat(32), name: 'K. Patel' },
          },
        }),
        file('users.json', {
          users: [
            { username: 'boss', password_hash: 'bb'.repeat(32), role: 'principal', full_name: 'The Boss' },
          ],
        }),
      ],
      { emailDomain: 'school.org' },
    );
    expect(problems).toEqual([]);
    expect(dataset.teachers).toEqual([
      {
        username: 'msmith',
        email: 'msmith@school.org',
        name: 'Ms. Smith',
        role: 'teacher',
        password: 'teacher123',
      },
      { username: 'jdoe', email: 'jdoe@school.org', name: 'jdoe', role: 'teacher', password: 'secret-1' },
      {
        username: 'kpatel',
        email: 'kpatel@school.org',
        name: 'K. Patel',
        role: 'teacher',
        passwordHash: `pbkdf2-sha256$1000$abc$${'aa'.repeat(32)}`,
      },
      {
        username: 'boss',
        email: 'boss@school.org',
        name: 'The Boss',
        role: 'admin',
        passwordHash: `sha256$${'bb'.repeat(32)}`,
      },
    ]);
  });

  it('reads activities given as an array, with categories, creation dates and empty participant lists', () => {
    const { dataset, problems } = readLegacyFiles([
      file('activities.json', [
        {
          name: 'Choir',
          description: 'Sing',
          schedule: 'Mondays',
          max_participants: 20,
          participants: [],
          category: 'Arts',
          created_at: '2024-09-01T10:00:00Z',
        },
      ]),
    ]);
    expect(problems).toEqual([]);
    expect(dataset.activities![0]).toMatchObject({
      name: 'Choir',
      category: 'Arts',
      participants: [],
      createdAt: new Date('2024-09-01T10:00:00Z'),
    });
  });

  it('names the file, record and field of every problem at once', () => {
    const { problems } = readLegacyFiles([
      file('activities.json', {
        Chess: {
          description: 'x',
          schedule: 'y',
          max_participants: -3,
          participants: ['ok@school.org', 'not-an-email'],
          color: 'red',
        },
        Art: {
          description: 'x',
          schedule: 'y',
          max_participants: 5,
          participants: [],
          schedule_details: { days: ['Funday'], start_time: '15:00', end_time: '16:00' },
        },
      }),
      { name: 'broken.json', text: '{\n  "Chess Club": {\n    "max_participants": 12,\n  }\n}' },
      file('teachers.json', [{ username: 'x y', password: 'p', role: 'janitor' }]),
    ]);
    expect(problems.map(describeProblem)).toEqual([
      'activities.json: Chess: color: unknown field',
      'activities.json: Chess: max_participants: Too small: expected number to be >=1',
      'activities.json: Chess: participants[1] (not-an-email): Invalid email address',
      expect.stringMatching(/^activities\.json: Art: schedule_details: Invalid option/),
      expect.stringMatching(/^broken\.json: line 4, column 3: invalid JSON: /),
      // Chess is refused, but its valid participant still gives the teachers' domain (no follow-on problem).
      'teachers.json: x y: role: unknown role "janitor"',
    ]);
  });
});

describe('the canonical format', () => {
  it('is documented by a JSON Schema generated from the same zod schemas (docs/import-format.schema.json)', () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../../docs/import-format.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(canonicalJsonSchema());
  });
});

describe('legacy password hashes', () => {
  it('refuses a malformed PBKDF2 entry in the old app’s teacher files, naming the record and field', () => {
    const entries = {
      shortdigest: { salt: 's', iterations: 1000, password_hash: 'f' },
      noiterations: { salt: 's', iterations: 0, password_hash: 'ab'.repeat(32) },
      nosalt: { salt: '', iterations: 1000, password_hash: 'ab'.repeat(32) },
      fine: { salt: 's', iterations: 1000, password_hash: 'ab'.repeat(32) },
    };
    const { problems, dataset } = readLegacyFiles(
      [{ name: 'teachers.json', text: JSON.stringify({ teachers: entries }) }],
      { emailDomain: 'mergington.edu' },
    );
    expect(problems.map(({ record, field }) => [record, field])).toEqual([
      ['shortdigest', 'password_hash'],
      ['noiterations', 'password_hash'],
      ['nosalt', 'password_hash'],
    ]);
    expect(problems[1]!.message).toMatch(/iterations must be 1000-2000000, not 0/);
    expect(dataset.teachers?.map((teacher) => teacher.username)).toEqual(['fine']);
  });
});
