import { describe, expect, it } from 'vitest';
import { describeProblem, readLegacyFiles, type SourceFile } from './legacy.ts';

const file = (name: string, value: unknown): SourceFile => ({ name, text: JSON.stringify(value, null, 2) });
const chess = (fields: Record<string, unknown>) => ({
  description: 'Strategy',
  schedule: 'Fridays',
  max_participants: 12,
  ...fields,
});
const sha256 = 'ab'.repeat(32);

describe('old fields of a shape the reader does not know are problems, never defaults', () => {
  it('refuses participants given as a string or an object instead of importing the activity without them', () => {
    const { dataset, problems } = readLegacyFiles([
      file('activities.json', {
        Solo: chess({ participants: 'solo@school.edu' }),
        Keyed: chess({ participants: { 0: 'x@school.edu' } }),
      }),
    ]);
    expect(problems.map(describeProblem)).toEqual([
      'activities.json: Solo: participants: must be a list of emails',
      'activities.json: Keyed: participants: must be a list of emails',
    ]);
    expect(dataset.activities).toEqual([]);
  });

  it('names every other misshapen activity field: schedule_details, its keys, name, created_at, non-string participants', () => {
    const { dataset, problems } = readLegacyFiles([
      file('activities.json', {
        Chess: chess({ schedule_details: 'Mondays 15:00', participants: [] }),
        Art: chess({
          schedule_details: { days: ['Monday'], start_time: '15:00', end_time: '16:00', room: 4 },
        }),
        Drama: chess({ name: 'Theatre' }),
        Choir: chess({ created_at: true }),
        Band: chess({ participants: [42, 'ok@school.edu'] }),
      }),
      file('more-activities.json', [chess({ participants: [] }), chess({ name: 7 })]),
      file('numbers.json', 5),
    ]);
    expect(problems.map(describeProblem)).toEqual([
      'activities.json: Chess: schedule_details: must be an object {days, start_time, end_time}',
      'activities.json: Art: schedule_details.room: unknown field',
      'activities.json: Drama: name: must be the activity’s key',
      'activities.json: Choir: created_at: must be a date and time like 2024-09-01T10:00:00Z',
      'activities.json: Band: participants[0]: must be an email address (a string)',
      'more-activities.json: #0: name: must be the activity’s name',
      'more-activities.json: #1: name: must be the activity’s name',
      'numbers.json: (file): not a shape this importer knows: use --format',
    ]);
    // Band keeps its valid participant (--skip-invalid skips only the bad one); Art its known fields.
    expect(dataset.activities!.map((activity) => activity.name)).toEqual(['Art', 'Band']);
    expect(dataset.activities![1]!.participants).toEqual([{ email: 'ok@school.edu' }]);
    const forced = readLegacyFiles([file('numbers.json', 5)], { format: 'activities' });
    expect(forced.problems.map(describeProblem)).toEqual([
      'numbers.json: (file): expected a list or an object of activities',
    ]);
  });

  it('names misshapen teacher fields and unknown keys beside the teacher list', () => {
    const { dataset, problems } = readLegacyFiles(
      [
        file('teachers.json', {
          teachers: [
            { username: 12, password: 'pw-1' },
            { username: 'mchen', display_name: ['Ms', 'Chen'], password: 'pw-2' },
            { username: 'lee', role: ['admin'], password: 'pw-3' },
            { username: 'kim', email: 5, password: 'pw-4' },
          ],
          version: 2,
        }),
        file('users.json', { users: [], exported: 'yesterday' }),
      ],
      { emailDomain: 'school.edu' },
    );
    expect(problems.map(describeProblem)).toEqual([
      'teachers.json: (file): version: unknown field',
      'teachers.json: #0: username: must be a string',
      'teachers.json: mchen: display_name: must be a string',
      'teachers.json: lee: role: must be a string',
      'teachers.json: kim: email: must be a string',
      'users.json: (file): exported: unknown field',
    ]);
    expect(dataset.teachers).toEqual([]);
  });
});

describe('users.json whose usernames are email addresses', () => {
  it('takes the email as the email and its local part as the username, with no --email-domain', () => {
    const { dataset, problems } = readLegacyFiles([
      file('users.json', {
        users: [
          { username: 'lee.staff@school.edu', password_hash: sha256, role: 'staff', full_name: 'Lee Staff' },
          { username: 'Zoë.Ünal@School.edu', password_hash: sha256, role: 'principal' },
        ],
      }),
    ]);
    expect(problems).toEqual([]);
    expect(dataset.teachers).toEqual([
      {
        username: 'lee.staff',
        email: 'lee.staff@school.edu',
        name: 'Lee Staff',
        role: 'teacher',
        passwordHash: `sha256$${sha256}`,
      },
      {
        username: 'zoe.unal',
        email: 'zoë.ünal@school.edu',
        name: 'Zoë Ünal',
        role: 'admin',
        passwordHash: `sha256$${sha256}`,
      },
    ]);
  });

  it('refuses a second person whose local part is a username already taken; the first keeps it', () => {
    const { dataset, problems } = readLegacyFiles([
      file('users.json', {
        users: [
          { username: 'lee@school.edu', password_hash: sha256 },
          { username: 'lee@district.org', password_hash: sha256 },
          { username: 'kim', email: 'kim@school.edu', password_hash: sha256 },
          { username: 'kim@other.org', password_hash: sha256 },
          // The same person twice is not a collision.
          { username: 'lee@school.edu', password_hash: sha256, full_name: 'Lee' },
        ],
      }),
    ]);
    expect(problems.map(describeProblem)).toEqual([
      "users.json: lee@district.org: username: lee is already lee@school.edu's username: give this teacher a username (and their email as email)",
      "users.json: kim@other.org: username: kim is already kim@school.edu's username: give this teacher a username (and their email as email)",
    ]);
    expect(dataset.teachers!.map((teacher) => [teacher.username, teacher.email, teacher.name])).toEqual([
      ['lee', 'lee@school.edu', 'Lee'],
      ['kim', 'kim@school.edu', 'kim'],
    ]);
  });
});

describe('internationalised emails and follow-on problems', () => {
  it('accepts UTF-8 local parts and IDN domains, one student however the address is spelled', () => {
    const { dataset, problems, warnings } = readLegacyFiles([
      file('activities.json', {
        Chess: chess({
          participants: [
            'zoë.ünal@school.edu',
            'ZOE\u0308.U\u0308NAL@School.EDU',
            'ana@bücher.de',
            'ana@xn--bcher-kva.de',
          ],
        }),
      }),
    ]);
    expect(problems).toEqual([]);
    expect(dataset.activities![0]!.participants).toEqual([
      { email: 'zoë.ünal@school.edu' },
      { email: 'ana@xn--bcher-kva.de' },
    ]);
    expect(warnings).toEqual([
      'activities.json: Chess: listed more than once, signed up once: zoë.ünal@school.edu, ana@xn--bcher-kva.de',
    ]);
  });

  it('reports a refused participant once: the teachers still get the others’ domain', () => {
    const { dataset, problems } = readLegacyFiles([
      file('activities.json', { Chess: chess({ participants: ['zoë ünal@school.edu', 'ana@school.edu'] }) }),
      file('teachers.json', [
        { username: 'mchen', password: 'chess456' },
        { username: 'mrodriguez', password: 'art123' },
      ]),
    ]);
    expect(problems.map(describeProblem)).toEqual([
      'activities.json: Chess: participants[0] (zoë ünal@school.edu): Invalid email address',
    ]);
    expect(dataset.teachers!.map((teacher) => teacher.email)).toEqual([
      'mchen@school.edu',
      'mrodriguez@school.edu',
    ]);
  });

  it('says once that there is no domain for the teachers, not again for each teacher’s email', () => {
    const { problems } = readLegacyFiles([
      file('teachers.json', {
        teachers: {
          kpatel: { salt: 'abc', iterations: 1000, password_hash: 'aa'.repeat(32) },
          lee: { salt: 'abc', iterations: 1000, password_hash: 'aa'.repeat(32) },
        },
      }),
    ]);
    expect(problems.map(describeProblem)).toEqual([
      'teachers.json: (file): email: the teachers have no email and the participants share no domain: pass --email-domain',
    ]);
  });
});
