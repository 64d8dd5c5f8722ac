// Reading the old app's JSON files, in every shape it has had, into the canonical import format. Pure
// functions: the CLI runs them before anything is sent, so every problem is reported at once.
import { z } from 'zod';
import {
  CANONICAL_FORMAT,
  emailSchema,
  importActivitySchema,
  importDatasetSchema,
  importTeacherSchema,
  legacyPbkdf2Hash,
  legacySha256Hash,
  nameFromEmail,
  normalizeEmail,
  parsePasswordHash,
  WEEKDAYS,
  type ImportDatasetInput,
} from '@mergington/contract';

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
  /** Made from the email the old data gave as the username: it must not be taken by someone else. */
  usernameFromEmail?: boolean;
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
  // Of every valid participant email, even one in an activity refused for another reason: a problem in
  // one field must not make the teachers' domain a second problem.
  const participantDomains = new Set<string>();

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
      datasets.push(readActivities(file.name, parsed.value, problems, warnings, participantDomains));
    else
      teacherFiles.push({
        file: file.name,
        teachers: readTeachers(file.name, parsed.value, format, problems),
      });
  }

  // Teachers get username@domain emails; the domain comes from the data when the files do not say.
  const needsDomain = teacherFiles.some(({ teachers }) =>
    teachers.some((teacher) => teacher.email === undefined),
  );
  const domain = needsDomain
    ? (options.emailDomain ?? sharedDomain(datasets, participantDomains))
    : undefined;
  if (needsDomain && !domain) {
    problems.push({
      file: teacherFiles[0]!.file,
      record: '(file)',
      field: 'email',
      message: 'the teachers have no email and the participants share no domain: pass --email-domain',
    });
  }
  const usernames = new Map<string, UsernameOwner>();
  for (const { file, teachers } of teacherFiles)
    datasets.push(teacherDataset(file, teachers, domain, problems, usernames));

  return { dataset: mergeDatasets(datasets), problems, warnings, formats };
}

function parseJson(file: SourceFile): { value: Json } | { problem: Problem } {
  try {
    return { value: JSON.parse(file.text) };
  } catch (error) {
    const { position, message } = invalidJson(error, file.text);
    const before = file.text.slice(0, position).split('\n');
    return {
      problem: {
        file: file.name,
        record: `line ${before.length}, column ${before.at(-1)!.length + 1}`,
        field: '',
        message,
      },
    };
  }
}

/** JSON.parse's error for text: where it stopped (the end when it does not say) and what it says, for people. */
export function invalidJson(error: unknown, text: string): { position: number; message: string } {
  const message = (error as Error).message;
  return {
    position: Number(/at position (\d+)/.exec(message)?.[1] ?? text.length),
    message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '')}`,
  };
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
const SCHEDULE_DETAILS_FIELDS = ['days', 'start_time', 'end_time'];

function readActivities(
  file: string,
  value: Json,
  problems: Problem[],
  warnings: string[],
  participantDomains: Set<string>,
): ImportDatasetInput {
  if (!Array.isArray(value) && !isObject(value)) {
    problems.push({
      file,
      record: '(file)',
      field: '',
      message: 'expected a list or an object of activities',
    });
    return {};
  }
  const entries: [string, Json][] = Array.isArray(value)
    ? value.map((item, index) => [
        isObject(item) && typeof item.name === 'string' && item.name.trim() ? item.name : `#${index}`,
        item,
      ])
    : Object.entries(value);
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
    // A field that is there but not of a shape this reader knows is a problem, never a default.
    const misshapen: Problem[] = [];
    const expect = (field: string, message: string) => misshapen.push({ file, record: name, field, message });
    if (Array.isArray(value) ? typeof raw.name !== 'string' : raw.name !== undefined && raw.name !== name)
      expect('name', Array.isArray(value) ? 'must be the activity’s name' : 'must be the activity’s key');
    const details = raw.schedule_details ?? undefined;
    if (details !== undefined && !isObject(details))
      expect('schedule_details', 'must be an object {days, start_time, end_time}');
    for (const key of Object.keys(isObject(details) ? details : {}))
      if (!SCHEDULE_DETAILS_FIELDS.includes(key))
        problems.push({ file, record: name, field: `schedule_details.${key}`, message: 'unknown field' });
    const participants = raw.participants ?? [];
    if (!Array.isArray(participants)) expect('participants', 'must be a list of emails');
    const createdAt = raw.created_at ?? undefined;

    // Participants one by one: a refused one is skipped alone (--skip-invalid), never its activity.
    const emails: string[] = [];
    const participantProblems: Problem[] = [];
    (Array.isArray(participants) ? participants : []).forEach((entry: Json, index) => {
      const email = emailSchema.safeParse(entry);
      if (email.success) {
        emails.push(email.data);
        participantDomains.add(email.data.split('@')[1]!);
      } else {
        const shown = typeof entry === 'string' ? ` (${entry})` : '';
        const message =
          typeof entry === 'string' ? email.error.issues[0]!.message : 'must be an email address (a string)';
        participantProblems.push({ file, record: name, field: `participants[${index}]${shown}`, message });
      }
    });
    const unique = [...new Set(emails)];
    const twice = [...new Set(emails.filter((email, index) => emails.indexOf(email) !== index))];
    if (twice.length > 0)
      warnings.push(`${file}: ${name}: listed more than once, signed up once: ${twice.join(', ')}`);
    if (misshapen.length > 0) {
      problems.push(...misshapen, ...participantProblems);
      continue;
    }
    const candidate = {
      name,
      description: raw.description ?? '',
      schedule: raw.schedule ?? '',
      scheduleDays: isObject(details) ? weekdays(details.days) : null,
      startTime: isObject(details) ? (details.start_time ?? null) : null,
      endTime: isObject(details) ? (details.end_time ?? null) : null,
      category: raw.category ?? null,
      maxParticipants: raw.max_participants,
      ...(createdAt !== undefined ? { createdAt } : {}),
      participants: unique.map((email) => ({ email })),
    };
    const parsed = importActivitySchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [first] = issue.path.map(String);
        const field = OLD_FIELD[first ?? ''] ?? first ?? '';
        problems.push({ file, record: name, field, message: issue.message });
      }
    }
    problems.push(...participantProblems);
    if (parsed.success) activities.push(parsed.data);
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
  if (container !== value && isObject(value))
    for (const key of Object.keys(value))
      if (key !== (format === 'users' ? 'users' : 'teachers'))
        problems.push({ file, record: '(file)', field: key, message: 'unknown field' });
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
    // A field that is there but not of a shape this reader knows is a problem, never a default.
    const username = raw.username ?? record;
    const nameField = NAME_FIELDS.find((field) => raw[field] !== undefined && raw[field] !== null);
    const email = raw.email ?? undefined;
    const misshapen = [
      typeof username !== 'string' && 'username',
      nameField && typeof raw[nameField] !== 'string' && nameField,
      raw.role !== undefined && raw.role !== null && typeof raw.role !== 'string' && 'role',
      email !== undefined && typeof email !== 'string' && 'email',
    ].filter((field): field is string => typeof field === 'string');
    for (const field of misshapen) problems.push({ file, record, field, message: 'must be a string' });
    if (misshapen.length > 0 || typeof username !== 'string') continue;
    // A username that is an email (users.json of some versions) is that person's email, and their
    // username is its local part.
    const teacher: RawTeacher = username.includes('@')
      ? {
          record,
          username: usernameFromEmail(username),
          usernameFromEmail: true,
          email: email ?? username,
          name: nameField ? raw[nameField] : nameFromEmail(normalizeEmail(username)),
        }
      : {
          record,
          username: username.trim().toLowerCase(),
          email,
          name: nameField ? raw[nameField] : username,
        };
    teacher.role = raw.role;
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

const NAME_FIELDS = ['display_name', 'full_name', 'name'] as const;

/** "Zoë.Ünal@school.edu" -> "zoe.unal": accents dropped, as usernames are ASCII; usernameSchema checks the rest. */
function usernameFromEmail(email: string): string {
  return email.slice(0, email.lastIndexOf('@')).normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase();
}

/** Old roles to ours: admin and principal are admins; staff and teacher (or none) are teachers. */
function mapRole(role: unknown): 'teacher' | 'admin' | undefined {
  if (role === undefined || role === null) return 'teacher';
  const value = String(role).trim().toLowerCase();
  if (value === 'admin' || value === 'principal' || value === 'administrator') return 'admin';
  if (value === 'teacher' || value === 'staff') return 'teacher';
  return undefined;
}

interface UsernameOwner {
  email: string;
  usernameFromEmail: boolean;
}

/**
 * `domain` undefined: it could not be found, which was said once; the emails it would have made are not
 * reported again. `usernames`: who has each username so far, over every teacher file in order.
 */
function teacherDataset(
  file: string,
  teachers: RawTeacher[],
  domain: string | undefined,
  problems: Problem[],
  usernames: Map<string, UsernameOwner>,
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
      email: teacher.email ?? (domain === undefined ? undefined : `${teacher.username}@${domain}`),
      name: teacher.name,
      role,
      ...(teacher.passwordHash !== undefined
        ? { passwordHash: teacher.passwordHash }
        : { password: teacher.password }),
    };
    const parsed = importTeacherSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (candidate.email === undefined && issue.path[0] === 'email') continue;
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
    // Two people, one username: the first in file order keeps it; the other is a problem, not a merge.
    const owner = usernames.get(parsed.data.username);
    if (
      owner &&
      owner.email !== parsed.data.email &&
      (owner.usernameFromEmail || teacher.usernameFromEmail === true)
    ) {
      problems.push({
        file,
        record: teacher.record,
        field: 'username',
        message: `${parsed.data.username} is already ${owner.email}'s username: give this teacher a username (and their email as email)`,
      });
      continue;
    }
    usernames.set(parsed.data.username, {
      email: parsed.data.email,
      usernameFromEmail: teacher.usernameFromEmail === true,
    });
    valid.push(parsed.data);
  }
  return { teachers: valid };
}

function sharedDomain(datasets: ImportDatasetInput[], participantDomains: Set<string>): string | undefined {
  const domains = new Set([
    ...participantDomains,
    ...datasets.flatMap((dataset) => [
      ...(dataset.students ?? []).map((student) => student.email.split('@')[1]),
      ...(dataset.activities ?? []).flatMap((activity) =>
        (activity.participants ?? []).map((p) => p.email.split('@')[1]),
      ),
    ]),
  ]);
  return domains.size === 1 ? [...domains][0] : undefined;
}

/** Later datasets win, record by record; an activity keeps every participant any file listed. */
function mergeDatasets(datasets: ImportDatasetInput[]): ImportDatasetInput {
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
