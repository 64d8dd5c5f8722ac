// Reading the old app's JSON files, in every shape it has had, into the canonical import format. Pure
// functions: the CLI runs them before anything is sent, so every problem is reported at once.
import { z } from 'zod';
import { WEEKDAYS } from '../constants.ts';
import { legacyPbkdf2Hash, legacySha256Hash, parsePasswordHash } from '../legacy-hashes.ts';
import { nameFromEmail } from '../names.ts';
import { emailSchema, normalizeEmail } from '../schemas/common.ts';
import {
  importActivitySchema,
  importDatasetSchema,
  importTeacherSchema,
  type ImportDatasetInput,
} from './dataset.ts';

export const LEGACY_FORMATS = ['activities', 'teachers', 'users', 'canonical'] as const;
export type LegacyFormat = (typeof LEGACY_FORMATS)[number];

/** Where a problem is: the file, the record (an activity's name, a teacher's username, an index), the field. */
export interface Problem {
  file: string;
  record: string;
  field: string;
  message: string;
}

export const describeProblem = (problem: Problem) =>
  `${problem.file}: ${problem.record}${problem.field ? `: ${problem.field}` : ''}: ${problem.message}`;

export interface SourceFile {
  name: string;
  text: string;
}

export interface ReadOptions {
  /** Forces the shape instead of detecting it. */
  format?: LegacyFormat;
  /** The domain of teachers' emails (username@domain); by default, the one the participants' emails share. */
  emailDomain?: string;
}

export interface ReadResult {
  dataset: ImportDatasetInput;
  problems: Problem[];
  warnings: string[];
  /** What each file was read as. */
  formats: Record<string, LegacyFormat>;
}

type Json = unknown;
type RawTeacher = {
  record: string;
  username: string;
  password?: unknown;
  passwordHash?: string;
  name?: unknown;
  role?: unknown;
  email?: unknown;
};

/** Reads every file, then merges them in order: a later file's record replaces an earlier one's. */
export function readLegacyFiles(files: SourceFile[], options: ReadOptions = {}): ReadResult {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const formats: Record<string, LegacyFormat> = {};
  const datasets: ImportDatasetInput[] = [];
  const teacherFiles: { file: string; teachers: RawTeacher[] }[] = [];

  for (const file of files) {
    const parsed = parseJson(file);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    const format = options.format ?? detectFormat(file.name, parsed.value);
    if (!format) {
      problems.push({
        file: file.name,
        record: '(file)',
        field: '',
        message: 'not a shape this importer knows: use --format',
      });
      continue;
    }
    formats[file.name] = format;
    if (format === 'canonical') datasets.push(readCanonical(file.name, parsed.value, problems));
    else if (format === 'activities')
      datasets.push(readActivities(file.name, parsed.value, problems, warnings));
    else
      teacherFiles.push({
        file: file.name,
        teachers: readTeachers(file.name, parsed.value, format, problems),
      });
  }

  // Teachers get username@domain emails; the domain comes from the data when the files do not say.
  if (teacherFiles.some(({ teachers }) => teachers.some((teacher) => teacher.email === undefined))) {
    const domain = options.emailDomain ?? sharedDomain(datasets);
    if (!domain) {
      problems.push({
        file: teacherFiles[0]!.file,
        record: '(file)',
        field: 'email',
        message: 'the teachers have no email and the participants share no domain: pass --email-domain',
      });
    }
    for (const { file, teachers } of teacherFiles)
      datasets.push(teacherDataset(file, teachers, domain ?? 'invalid', problems));
  } else {
    for (const { file, teachers } of teacherFiles)
      datasets.push(teacherDataset(file, teachers, '', problems));
  }

  return { dataset: mergeDatasets(datasets), problems, warnings, formats };
}

function parseJson(file: SourceFile): { value: Json } | { problem: Problem } {
  try {
    return { value: JSON.parse(file.text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? file.text.length);
    const before = file.text.slice(0, position).split('\n');
    return {
      problem: {
        file: file.name,
        record: `line ${before.length}, column ${before.at(-1)!.length + 1}`,
        field: '',
        message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '')}`,
      },
    };
  }
}

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const looksLikeActivity = (value: Json) =>
  isObject(value) && ('max_participants' in value || 'participants' in value);

function detectFormat(fileName: string, value: Json): LegacyFormat | undefined {
  if (isObject(value) && value.format === CANONICAL_FORMAT) return 'canonical';
  if (isObject(value) && Array.isArray(value.users)) return 'users';
  if (Array.isArray(value) && value.length > 0 && value.every(looksLikeActivity)) return 'activities';
  if (isObject(value) && Object.keys(value).length > 0 && Object.values(value).every(looksLikeActivity))
    return 'activities';
  if (isObject(value) && 'teachers' in value) return 'teachers';
  if (Array.isArray(value) && value.every((item) => isObject(item) && 'username' in item)) return 'teachers';
  // A flat {username: password} map, or {username: {...}}: only when the file says it holds teachers.
  if (/teacher/i.test(fileName) && isObject(value)) return 'teachers';
  if (isObject(value) && Object.keys(value).length === 0 && /activit/i.test(fileName)) return 'activities';
  return undefined;
}

/** The marker of the canonical format's files: `{"format": "mergington/v1", "students": [...], ...}`. */
export const CANONICAL_FORMAT = 'mergington/v1';

function readCanonical(file: string, value: Json, problems: Problem[]): ImportDatasetInput {
  const { format: _format, ...rest } = value as Record<string, Json>;
  const parsed = importDatasetSchema.safeParse(rest);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const [table, index, ...field] = issue.path.map(String);
    problems.push({
      file,
      record: index === undefined ? String(table) : `${table}[${index}]`,
      field: field.join('.'),
      message: issue.message,
    });
  }
  return {};
}

// The old activity fields, and the names of ours they became: problems name the old field.
const ACTIVITY_FIELDS: Record<string, string> = {
  description: 'description',
  schedule: 'schedule',
  schedule_details: 'scheduleDays',
  max_participants: 'maxParticipants',
  participants: 'participants',
  category: 'category',
  created_at: 'createdAt',
  name: 'name',
};
const OLD_FIELD = Object.fromEntries(Object.entries(ACTIVITY_FIELDS).map(([old, ours]) => [ours, old]));
OLD_FIELD.startTime = 'schedule_details.start_time';
OLD_FIELD.endTime = 'schedule_details.end_time';

function readActivities(
  file: string,
  value: Json,
  problems: Problem[],
  warnings: string[],
): ImportDatasetInput {
  const entries: [string, Json][] = Array.isArray(value)
    ? value.map((item, index) => [
        isObject(item) && typeof item.name === 'string' ? item.name : `#${index}`,
        item,
      ])
    : Object.entries(value as Record<string, Json>);
  const activities = [];
  for (const [name, raw] of entries) {
    if (!isObject(raw)) {
      problems.push({ file, record: name, field: '', message: 'must be an object' });
      continue;
    }
    for (const key of Object.keys(raw)) {
      if (!(key in ACTIVITY_FIELDS))
        problems.push({ file, record: name, field: key, message: 'unknown field' });
    }
    const details = isObject(raw.schedule_details) ? raw.schedule_details : undefined;
    const participants = Array.isArray(raw.participants) ? raw.participants : [];
    const emails = participants.map((email) =>
      typeof email === 'string' ? email.trim().toLowerCase() : email,
    );
    const unique = [...new Set(emails)];
    if (unique.length < emails.length)
      warnings.push(`${file}: ${name}: a participant is listed twice: signed up once`);
    const candidate = {
      name,
      description: raw.description ?? '',
      schedule: raw.schedule ?? '',
      scheduleDays: details ? weekdays(details.days) : null,
      startTime: details?.start_time ?? null,
      endTime: details?.end_time ?? null,
      category: raw.category ?? null,
      maxParticipants: raw.max_participants,
      ...(raw.created_at !== undefined ? { createdAt: raw.created_at } : {}),
      participants: unique.map((email) => ({ email })),
    };
    const parsed = importActivitySchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [first, ...rest] = issue.path.map(String);
        const field =
          first === 'participants'
            ? `participants[${rest[0]}]${typeof emails[Number(rest[0])] === 'string' ? ` (${emails[Number(rest[0])]})` : ''}`
            : (OLD_FIELD[first ?? ''] ?? first ?? '');
        problems.push({ file, record: name, field, message: issue.message });
      }
      continue;
    }
    activities.push(parsed.data);
  }
  const students = activities.flatMap((activity) =>
    activity.participants.map((participant) => ({
      email: participant.email,
      name: nameFromEmail(participant.email),
      grade: null,
    })),
  );
  return { activities, students };
}

/** "Monday" -> "monday"; anything else is kept, so that validation names it. */
function weekdays(days: Json): unknown {
  if (!Array.isArray(days)) return days;
  return days.map((day) => {
    const lower = typeof day === 'string' ? day.trim().toLowerCase() : day;
    return (WEEKDAYS as readonly unknown[]).includes(lower) ? lower : day;
  });
}

function readTeachers(file: string, value: Json, format: LegacyFormat, problems: Problem[]): RawTeacher[] {
  const list: [string, Json][] = [];
  const container =
    format === 'users' && isObject(value)
      ? value.users
      : isObject(value) && 'teachers' in value
        ? value.teachers
        : value;
  if (Array.isArray(container)) {
    container.forEach((item, index) =>
      list.push([isObject(item) && typeof item.username === 'string' ? item.username : `#${index}`, item]),
    );
  } else if (isObject(container)) {
    // {username: {...}} or the flat {username: password}.
    for (const [username, entry] of Object.entries(container)) {
      list.push([
        username,
        typeof entry === 'string'
          ? { username, password: entry }
          : isObject(entry)
            ? { username, ...entry }
            : entry,
      ]);
    }
  } else {
    problems.push({ file, record: '(file)', field: '', message: 'expected a list or an object of teachers' });
    return [];
  }
  const known = new Set([
    'username',
    'password',
    'password_hash',
    'salt',
    'iterations',
    'name',
    'display_name',
    'full_name',
    'role',
    'email',
  ]);
  const teachers: RawTeacher[] = [];
  for (const [record, raw] of list) {
    if (!isObject(raw)) {
      problems.push({ file, record, field: '', message: 'must be an object' });
      continue;
    }
    for (const key of Object.keys(raw))
      if (!known.has(key)) problems.push({ file, record, field: key, message: 'unknown field' });
    const teacher: RawTeacher = {
      record,
      username: String(raw.username ?? record)
        .trim()
        .toLowerCase(),
    };
    teacher.name = raw.display_name ?? raw.full_name ?? raw.name ?? raw.username ?? record;
    teacher.role = raw.role;
    if (raw.email !== undefined) teacher.email = raw.email;
    if (raw.salt !== undefined || raw.iterations !== undefined) {
      if (
        typeof raw.salt !== 'string' ||
        !Number.isInteger(raw.iterations) ||
        typeof raw.password_hash !== 'string'
      ) {
        problems.push({
          file,
          record,
          field: 'password_hash',
          message: 'a PBKDF2 entry needs salt, iterations and password_hash',
        });
        continue;
      }
      teacher.passwordHash = legacyPbkdf2Hash({
        salt: raw.salt,
        iterations: raw.iterations as number,
        passwordHash: raw.password_hash,
      });
    } else if (typeof raw.password_hash === 'string') {
      if (!/^[0-9a-f]{64}$/i.test(raw.password_hash)) {
        problems.push({
          file,
          record,
          field: 'password_hash',
          message: 'expected a SHA-256 hex digest (64 hex digits)',
        });
        continue;
      }
      teacher.passwordHash = legacySha256Hash(raw.password_hash);
    } else if (typeof raw.password === 'string' && raw.password.startsWith('$argon2')) {
      teacher.passwordHash = raw.password;
    } else {
      teacher.password = raw.password;
    }
    const hashProblem = teacher.passwordHash === undefined ? null : parsePasswordHash(teacher.passwordHash);
    if (hashProblem && 'problem' in hashProblem) {
      const field = raw.password_hash !== undefined ? 'password_hash' : 'password';
      problems.push({ file, record, field, message: hashProblem.problem });
      continue;
    }
    teachers.push(teacher);
  }
  return teachers;
}

/** Old roles to ours: admin and principal are admins; staff and teacher (or none) are teachers. */
function mapRole(role: unknown): 'teacher' | 'admin' | undefined {
  if (role === undefined || role === null) return 'teacher';
  const value = String(role).trim().toLowerCase();
  if (value === 'admin' || value === 'principal' || value === 'administrator') return 'admin';
  if (value === 'teacher' || value === 'staff') return 'teacher';
  return undefined;
}

function teacherDataset(
  file: string,
  teachers: RawTeacher[],
  domain: string,
  problems: Problem[],
): ImportDatasetInput {
  const valid = [];
  for (const teacher of teachers) {
    const role = mapRole(teacher.role);
    if (!role) {
      problems.push({
        file,
        record: teacher.record,
        field: 'role',
        message: `unknown role ${JSON.stringify(teacher.role)}`,
      });
      continue;
    }
    const candidate = {
      username: teacher.username,
      email: teacher.email ?? `${teacher.username}@${domain}`,
      name: teacher.name,
      role,
      ...(teacher.passwordHash !== undefined
        ? { passwordHash: teacher.passwordHash }
        : { password: teacher.password }),
    };
    const parsed = importTeacherSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // Never echo a password in a message.
        problems.push({
          file,
          record: teacher.record,
          field: issue.path.map(String).join('.'),
          message: issue.message,
        });
      }
      continue;
    }
    valid.push(parsed.data);
  }
  return { teachers: valid };
}

function sharedDomain(datasets: ImportDatasetInput[]): string | undefined {
  const domains = new Set(
    datasets.flatMap((dataset) => [
      ...(dataset.students ?? []).map((student) => student.email.split('@')[1]),
      ...(dataset.activities ?? []).flatMap((activity) =>
        (activity.participants ?? []).map((p) => p.email.split('@')[1]),
      ),
    ]),
  );
  return domains.size === 1 ? [...domains][0] : undefined;
}

/** Later datasets win, record by record; an activity keeps every participant any file listed. */
export function mergeDatasets(datasets: ImportDatasetInput[]): ImportDatasetInput {
  const byKey = <T>(items: T[], key: (item: T) => string, merge?: (older: T, newer: T) => T) => {
    const map = new Map<string, T>();
    for (const item of items) {
      const k = key(item);
      const older = map.get(k);
      map.set(k, older && merge ? merge(older, item) : item);
    }
    return [...map.values()];
  };
  const all = <K extends keyof ImportDatasetInput>(table: K) =>
    datasets.flatMap((dataset) => (dataset[table] ?? []) as unknown[]) as NonNullable<ImportDatasetInput[K]>;
  type Activity = NonNullable<ImportDatasetInput['activities']>[number];
  const explicitStudents = new Set(
    datasets.flatMap((d) =>
      (d.students ?? []).filter((s) => s.name !== nameFromEmail(s.email)).map((s) => s.email),
    ),
  );
  return {
    teachers: byKey(all('teachers'), (teacher) => teacher.username),
    students: byKey(
      all('students'),
      (student) => student.email,
      (older, newer) =>
        explicitStudents.has(newer.email) && newer.name === nameFromEmail(newer.email) ? older : newer,
    ),
    activities: byKey(
      all('activities'),
      (activity) => activity.name,
      (older: Activity, newer: Activity) => ({
        ...newer,
        participants: byKey([...(older.participants ?? []), ...(newer.participants ?? [])], (p) => p.email),
      }),
    ),
    committees: byKey(all('committees'), (committee) => committee.name),
    positions: all('positions'),
    events: all('events'),
    groups: byKey(all('groups'), (group) => `${group.activity}\u0000${group.name}`),
    news: all('news'),
    feedback: byKey(all('feedback'), (feedback) => `${feedback.activity}\u0000${feedback.studentEmail}`),
    payments: all('payments'),
  };
}

export const legacyFormatSchema = z.enum(LEGACY_FORMATS);
