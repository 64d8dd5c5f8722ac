import type { EntityManager } from '@mikro-orm/postgresql';
import {
  nameFromEmail,
  IMPORT_TABLES,
  type ImportDataset,
  type ImportReport,
  type ImportTable,
} from '@mergington/contract';
import { hashPassword } from '../accounts/passwords.ts';
import { joinsAs, type SeatCounts } from '../activities/admission.ts';
import { recountSeats } from '../activities/seats.ts';
import { pgArray } from '../../sql.ts';

class DryRun extends Error {}

type Counts = Record<ImportTable, { created: number; updated: number; unchanged: number }>;

/**
 * Writes a dataset, given in parts (applied in order, so a part may refer to what an earlier one
 * created), in one transaction: everything or, on any error, nothing. Records are matched by their
 * natural keys (emails, usernames, names), so importing the same data again changes nothing and a newer
 * file updates what changed. Import adds and updates; it deletes nothing. With `dryRun` the same work is
 * done and rolled back, so the report says exactly what a real run would do.
 */
export async function applyImport(
  em: EntityManager,
  parts: Iterable<ImportDataset> | AsyncIterable<ImportDataset>,
  options: { overflow: 'enroll' | 'waitlist'; dryRun: boolean },
): Promise<ImportReport> {
  const counts = Object.fromEntries(
    IMPORT_TABLES.map((table) => [table, { created: 0, updated: 0, unchanged: 0 }]),
  ) as Counts;
  const warnings: string[] = [];
  try {
    await em.transactional(async (tx) => {
      // Old data may list more participants than seats; the import alone may keep them all. Seats are
      // counted once at the end, and a large import may take longer than a request's statement timeout.
      await tx.execute(`set local mergington.allow_overbooking = on`);
      await tx.execute(`set local mergington.defer_seat_counts = on`);
      await tx.execute(`set local statement_timeout = '30min'`);
      const activityIds = new Map<string, number>();
      const knownStudents = new Set<string>();
      const seats = new Map<number, SeatCounts>();
      for await (const part of parts) {
        await importTeachers(tx, part, counts);
        await importStudents(tx, part, knownStudents, counts);
        for (const [name, id] of await importActivities(tx, part, counts)) {
          activityIds.set(name, id);
          seats.delete(id); // its seats may have changed: counted again when next met
        }
        await importParticipants(tx, part, activityIds, seats, options.overflow, counts, warnings);
        await importSchoolLife(tx, part, activityIds, counts);
      }
      await recountSeats(tx);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return { dryRun: options.dryRun, tables: counts, warnings };
}

async function importTeachers(em: EntityManager, dataset: ImportDataset, counts: Counts) {
  for (const teacher of dataset.teachers) {
    const [existing] = await em.execute<{ id: number; email: string; name: string; role: string }[]>(
      `select id, email, name, role from teacher where username = ?`,
      [teacher.username],
    );
    if (!existing) {
      const hash = teacher.passwordHash ?? (await hashPassword(teacher.password!));
      await em.execute(
        `insert into teacher (username, email, name, role, password_hash) values (?, ?, ?, ?, ?)`,
        [teacher.username, teacher.email, teacher.name, teacher.role, hash],
      );
      counts.teachers.created++;
    } else if (
      existing.email !== teacher.email ||
      existing.name !== teacher.name ||
      existing.role !== teacher.role
    ) {
      // A known teacher's password is theirs now (maybe changed, maybe upgraded at login): never overwritten.
      await em.execute(`update teacher set email = ?, name = ?, role = ?, updated_at = now() where id = ?`, [
        teacher.email,
        teacher.name,
        teacher.role,
        existing.id,
      ]);
      counts.teachers.updated++;
    } else {
      counts.teachers.unchanged++;
    }
  }
}

/** Every student the dataset names anywhere; a name made from an email never replaces a real one. */
/**
 * Students the dataset lists, and students only referenced (by a signup, say) that do not exist yet.
 * `known`: the emails this import has written already, so that the parts after the students' own do not
 * write them again.
 */
async function importStudents(em: EntityManager, dataset: ImportDataset, known: Set<string>, counts: Counts) {
  const students = new Map(dataset.students.map((student) => [student.email, student]));
  const referenced = [
    ...dataset.activities.flatMap((activity) =>
      activity.participants.map((participant) => participant.email),
    ),
    ...dataset.positions.map((position) => position.studentEmail),
    ...dataset.groups.flatMap((group) => [
      ...group.members,
      ...(group.leaderEmail ? [group.leaderEmail] : []),
    ]),
    ...dataset.feedback.map((feedback) => feedback.studentEmail),
    ...dataset.payments.map((payment) => payment.studentEmail),
  ];
  const given = new Set(students.keys());
  for (const email of referenced) {
    if (!students.has(email) && !known.has(email))
      students.set(email, { email, name: nameFromEmail(email), grade: null });
  }
  const list = [...students.values()];
  if (list.length === 0) return;
  const emails = pgArray(list.map((s) => s.email));
  const names = pgArray(list.map((s) => s.name));
  const grades = pgArray(list.map((s) => s.grade));
  const explicit = pgArray(list.map((s) => s.name !== nameFromEmail(s.email) || s.grade !== null));
  const inserted = await em.execute<{ email: string }[]>(
    `insert into student (email, name, grade)
     select email, name, grade from unnest(?::text[], ?::text[], ?::smallint[]) with ordinality as t(email, name, grade, n) order by n
     on conflict (email) do nothing returning email`,
    [emails, names, grades],
  );
  const updated = await em.execute(
    `update student s set name = t.name, grade = coalesce(t.grade, s.grade), updated_at = now()
       from unnest(?::text[], ?::text[], ?::smallint[], ?::boolean[]) as t(email, name, grade, explicit)
      where s.email = t.email and t.explicit and (s.name, s.grade) is distinct from (t.name, coalesce(t.grade, s.grade))
      returning s.id`,
    [emails, names, grades, explicit],
  );
  for (const email of students.keys()) known.add(email);
  // Students the dataset lists are counted; ones only referenced (by a signup, say) count when created.
  counts.students.created += inserted.length;
  counts.students.updated += updated.length;
  counts.students.unchanged +=
    given.size - inserted.filter((row) => given.has(row.email)).length - updated.length;
}

const ACTIVITY_COLUMNS = [
  'description',
  'schedule',
  'schedule_days',
  'start_time',
  'end_time',
  'category',
  'allowed_grades',
  'max_participants',
] as const;

async function importActivities(
  em: EntityManager,
  dataset: ImportDataset,
  counts: Counts,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const activity of dataset.activities) {
    const values = [
      activity.description,
      activity.schedule,
      activity.scheduleDays ? pgArray(activity.scheduleDays) : null,
      activity.startTime,
      activity.endTime,
      activity.category,
      activity.allowedGrades ? pgArray(activity.allowedGrades) : null,
      activity.maxParticipants,
    ];
    const [existing] = await em.execute<{ id: number; same: boolean }[]>(
      `select id, (description, schedule, schedule_days, start_time, end_time, category, allowed_grades, max_participants)
                  is not distinct from (?::text, ?::text, ?::text[], ?::time, ?::time, ?::text, ?::smallint[], ?::int) as same
         from activity where name = ?`,
      [...values, activity.name],
    );
    if (!existing) {
      const [row] = await em.execute<{ id: number }[]>(
        `insert into activity (name, ${ACTIVITY_COLUMNS.join(', ')}, created_at)
         values (?, ?, ?, ?::text[], ?, ?, ?, ?::smallint[], ?, coalesce(?::timestamptz, now())) returning id`,
        [activity.name, ...values, activity.createdAt ?? null],
      );
      ids.set(activity.name, row!.id);
      counts.activities.created++;
    } else {
      ids.set(activity.name, existing.id);
      if (existing.same) {
        counts.activities.unchanged++;
      } else {
        await em.execute(
          `update activity set ${ACTIVITY_COLUMNS.map((column) => `${column} = ?${column.endsWith('days') ? '::text[]' : column === 'allowed_grades' ? '::smallint[]' : ''}`).join(', ')},
                  version = version + 1, updated_at = now()
            where id = ?`,
          [...values, existing.id],
        );
        counts.activities.updated++;
      }
    }
  }
  return ids;
}

async function importParticipants(
  em: EntityManager,
  dataset: ImportDataset,
  activityIds: Map<string, number>,
  seats: Map<number, SeatCounts>,
  overflow: 'enroll' | 'waitlist',
  counts: Counts,
  warnings: string[],
) {
  const activities = dataset.activities.filter((activity) => activity.participants.length > 0);
  if (activities.length === 0) return;
  const studentIds = await idsByEmail(
    em,
    activities.flatMap((activity) => activity.participants.map((p) => p.email)),
  );
  const listed = activities.flatMap((activity) =>
    activity.participants.map((p) => [activityIds.get(activity.name)!, studentIds.get(p.email)!] as const),
  );
  // Only the pairs this part lists: a large import comes in many parts, and every part looking at every
  // signup already written would make it quadratic.
  const existing = new Set(
    (
      await em.execute<{ activity_id: number; student_id: number }[]>(
        `select p.activity_id, p.student_id
           from unnest(?::int[], ?::int[]) as t(a, s)
           join activity_participant p on p.activity_id = t.a and p.student_id = t.s`,
        [pgArray(listed.map(([a]) => a)), pgArray(listed.map(([, s]) => s))],
      )
    ).map((row) => `${row.activity_id}:${row.student_id}`),
  );
  // Counted from the rows the first time an activity is met (the counters are deferred until the end of
  // the import), then kept here as this import adds to it.
  const unseen = activities.map((a) => activityIds.get(a.name)!).filter((id) => !seats.has(id));
  if (unseen.length > 0) {
    const rows = await em.execute<
      { id: number; enrolled_count: number; waitlist_count: number; max_participants: number }[]
    >(
      `select a.id, a.max_participants,
              count(p.id) filter (where p.status = 'enrolled')::int as enrolled_count,
              count(p.id) filter (where p.status = 'waitlisted')::int as waitlist_count
         from activity a left join activity_participant p on p.activity_id = a.id
        where a.id = any(?::int[]) group by a.id`,
      [pgArray([...new Set(unseen)])],
    );
    for (const row of rows)
      seats.set(row.id, {
        enrolled: row.enrolled_count,
        waiting: row.waitlist_count,
        max: row.max_participants,
      });
  }
  const rows: { activity: number; student: number; status: string }[] = [];
  for (const activity of activities) {
    const activityId = activityIds.get(activity.name)!;
    const seat = seats.get(activityId)!;
    let overbooked = 0;
    for (const participant of activity.participants) {
      const studentId = studentIds.get(participant.email)!;
      if (existing.has(`${activityId}:${studentId}`)) {
        counts.participants.unchanged++;
        continue;
      }
      let status = participant.status;
      if (!status) {
        if (joinsAs(seat) === 'enrolled') status = 'enrolled';
        else if (overflow === 'enroll') {
          status = 'enrolled';
          overbooked++;
        } else status = 'waitlisted';
      }
      if (status === 'enrolled') seat.enrolled++;
      else seat.waiting++;
      rows.push({ activity: activityId, student: studentId, status });
      existing.add(`${activityId}:${studentId}`); // listed again in this part (two files): once
      counts.participants.created++;
    }
    if (overbooked > 0) {
      warnings.push(
        `${activity.name}: ${seat.enrolled} enrolled for ${seat.max} seats: ${overbooked} beyond them were kept enrolled (--overflow waitlist waitlists them instead)`,
      );
    }
  }
  if (rows.length === 0) return;
  // One statement, in file order: ids (the waitlist's order) follow the old lists.
  await em.execute(
    `insert into activity_participant (activity_id, student_id, status)
     select a, s, st from unnest(?::int[], ?::int[], ?::text[]) with ordinality as t(a, s, st, n) order by n`,
    [
      pgArray(rows.map((r) => r.activity)),
      pgArray(rows.map((r) => r.student)),
      pgArray(rows.map((r) => r.status)),
    ],
  );
}

async function idsByEmail(em: EntityManager, emails: string[]): Promise<Map<string, number>> {
  const rows = await em.execute<{ id: number; email: string }[]>(
    `select id, email from student where email = any(?::text[])`,
    [pgArray([...new Set(emails)])],
  );
  return new Map(rows.map((row) => [row.email, row.id]));
}

async function activityId(
  em: EntityManager,
  activityIds: Map<string, number>,
  name: string,
): Promise<number> {
  const known = activityIds.get(name);
  if (known) return known;
  const [row] = await em.execute<{ id: number }[]>(`select id from activity where name = ?`, [name]);
  if (!row) throw new ImportReferenceError(`no activity named ${name}`);
  activityIds.set(name, row.id);
  return row.id;
}

/** The dataset names something that exists neither in it nor in the database. */
export class ImportReferenceError extends Error {
  override name = 'ImportReferenceError';
}

/**
 * Inserts a row matched by `key`, or updates it when `fields` differ; counts which. `key` and `fields`
 * map column names to values (with a `::type` suffix where a cast is needed).
 */
async function upsert(
  em: EntityManager,
  table: string,
  key: Record<string, unknown>,
  fields: Record<string, unknown>,
  count: { created: number; updated: number; unchanged: number },
): Promise<number> {
  const column = (name: string) => name.split('::')[0]!;
  const cast = (name: string) => (name.includes('::') ? `::${name.split('::')[1]}` : '');
  const keyNames = Object.keys(key);
  const fieldNames = Object.keys(fields);
  const where = keyNames.map((name) => `${column(name)} is not distinct from ?${cast(name)}`).join(' and ');
  const [existing] = await em.execute<{ id: number; same: boolean }[]>(
    `select id, ${fieldNames.length ? `(${fieldNames.map(column).join(', ')}) is not distinct from (${fieldNames.map((n) => `?${cast(n)}`).join(', ')})` : 'true'} as same
       from "${table}" where ${where} limit 1`,
    [...Object.values(fields), ...Object.values(key)],
  );
  if (existing?.same) {
    count.unchanged++;
    return existing.id;
  }
  if (existing) {
    await em.execute(
      `update "${table}" set ${fieldNames.map((n) => `${column(n)} = ?${cast(n)}`).join(', ')} where id = ?`,
      [...Object.values(fields), existing.id],
    );
    count.updated++;
    return existing.id;
  }
  const all = [...keyNames, ...fieldNames];
  const [row] = await em.execute<{ id: number }[]>(
    `insert into "${table}" (${all.map(column).join(', ')}) values (${all.map((n) => `?${cast(n)}`).join(', ')}) returning id`,
    [...Object.values(key), ...Object.values(fields)],
  );
  count.created++;
  return row!.id;
}

async function importSchoolLife(
  em: EntityManager,
  dataset: ImportDataset,
  activityIds: Map<string, number>,
  counts: Counts,
) {
  // Every student this part names, looked up once (importStudents has created the missing ones).
  const studentIds = await idsByEmail(em, [
    ...dataset.positions.map((position) => position.studentEmail),
    ...dataset.groups.flatMap((group) => [
      ...group.members,
      ...(group.leaderEmail ? [group.leaderEmail] : []),
    ]),
    ...dataset.feedback.map((feedback) => feedback.studentEmail),
    ...dataset.payments.map((payment) => payment.studentEmail),
  ]);
  const studentId = (email: string) => studentIds.get(email)!;
  const committeeIds = new Map<string, number>();
  for (const committee of dataset.committees) {
    committeeIds.set(
      committee.name,
      await upsert(
        em,
        'committee',
        { name: committee.name },
        { description: committee.description },
        counts.committees,
      ),
    );
  }
  for (const position of dataset.positions) {
    let committeeId = committeeIds.get(position.committee);
    if (!committeeId) {
      const [row] = await em.execute<{ id: number }[]>(`select id from committee where name = ?`, [
        position.committee,
      ]);
      if (!row) throw new ImportReferenceError(`no committee named ${position.committee}`);
      committeeId = row.id;
    }
    await upsert(
      em,
      'position',
      {
        committee_id: committeeId,
        'position_name::text': position.positionName,
        'term_start::date': position.termStart,
      },
      { student_id: studentId(position.studentEmail), 'term_end::date': position.termEnd },
      counts.positions,
    );
  }
  for (const event of dataset.events) {
    const id = await upsert(
      em,
      'event',
      {
        activity_id: await activityId(em, activityIds, event.activity),
        'name::text': event.name,
        'date::timestamptz': event.date,
      },
      {
        'venue::text': event.venue,
        'description::text': event.description,
        'prizes::jsonb': JSON.stringify(event.prizes),
      },
      counts.events,
    );
    await em.execute(`delete from event_judge where event_id = ?`, [id]);
    for (const judge of event.judges) {
      if ('teacherUsername' in judge) {
        const [teacher] = await em.execute<{ id: number }[]>(`select id from teacher where username = ?`, [
          judge.teacherUsername,
        ]);
        if (!teacher) throw new ImportReferenceError(`no teacher with username ${judge.teacherUsername}`);
        await em.execute(`insert into event_judge (event_id, teacher_id) values (?, ?)`, [id, teacher.id]);
      } else {
        await em.execute(`insert into event_judge (event_id, name) values (?, ?)`, [id, judge.name]);
      }
    }
  }
  for (const group of dataset.groups) {
    const activity = await activityId(em, activityIds, group.activity);
    const leader = group.leaderEmail ? studentId(group.leaderEmail) : null;
    const id = await upsert(
      em,
      'activity_group',
      { activity_id: activity, 'name::text': group.name },
      { leader_id: leader },
      counts.groups,
    );
    for (const email of new Set([...(group.leaderEmail ? [group.leaderEmail] : []), ...group.members])) {
      const member = studentId(email);
      await em.execute(
        `insert into group_member (group_id, activity_id, student_id, role) values (?, ?, ?, ?)
         on conflict (group_id, student_id) do update set role = excluded.role`,
        [id, activity, member, member === leader ? 'leader' : 'member'],
      );
    }
  }
  for (const news of dataset.news) {
    const author = news.authorUsername
      ? ((
          await em.execute<{ id: number }[]>(`select id from teacher where username = ?`, [
            news.authorUsername,
          ])
        )[0]?.id ?? null)
      : null;
    await upsert(
      em,
      'news',
      {
        'title::text': news.title,
        activity_id: news.activity ? await activityId(em, activityIds, news.activity) : null,
      },
      {
        'content::text': news.content,
        'category::text': news.category,
        pinned: news.pinned,
        author_id: author,
      },
      counts.news,
    );
  }
  if (dataset.feedback.length > 0) {
    const activities = await Promise.all(
      dataset.feedback.map((feedback) => activityId(em, activityIds, feedback.activity)),
    );
    const written = await em.execute<{ inserted: boolean }[]>(
      `insert into feedback (activity_id, student_id, rating, review)
       select a, s, r, v from unnest(?::int[], ?::int[], ?::smallint[], ?::text[]) as t(a, s, r, v)
       on conflict (activity_id, student_id) do update set rating = excluded.rating, review = excluded.review, updated_at = now()
        where (feedback.rating, feedback.review) is distinct from (excluded.rating, excluded.review)
       returning xmax = 0 as inserted`,
      [
        pgArray(activities),
        pgArray(dataset.feedback.map((feedback) => studentId(feedback.studentEmail))),
        pgArray(dataset.feedback.map((feedback) => feedback.rating)),
        pgArray(dataset.feedback.map((feedback) => feedback.review)),
      ],
    );
    const created = written.filter((row) => row.inserted).length;
    counts.feedback.created += created;
    counts.feedback.updated += written.length - created;
    counts.feedback.unchanged += dataset.feedback.length - written.length;
  }
  if (dataset.payments.length > 0) {
    // In bulk: a payment is matched by student, activity, description and due date.
    const activities = await Promise.all(
      dataset.payments.map((payment) => activityId(em, activityIds, payment.activity)),
    );
    const [written] = await em.execute<{ created: number; updated: number }[]>(
      `with input as (
         select * from unnest(?::int[], ?::int[], ?::text[], ?::date[], ?::int[], ?::text[], ?::timestamptz[], ?::text[])
           with ordinality as t(student_id, activity_id, description, due_date, amount_cents, status, payment_date, method, n)
       ), updated as (
         update payment p set amount_cents = i.amount_cents, status = i.status, payment_date = i.payment_date,
                method = i.method, updated_at = now()
           from input i
          where (p.student_id, p.activity_id, p.description) = (i.student_id, i.activity_id, i.description)
            and p.due_date is not distinct from i.due_date
            and (p.amount_cents, p.status, p.payment_date, p.method) is distinct from (i.amount_cents, i.status, i.payment_date, i.method)
         returning p.id
       ), inserted as (
         insert into payment (student_id, activity_id, description, due_date, amount_cents, status, payment_date, method)
         select student_id, activity_id, description, due_date, amount_cents, status, payment_date, method from input i
          where not exists (select 1 from payment p
                             where (p.student_id, p.activity_id, p.description) = (i.student_id, i.activity_id, i.description)
                               and p.due_date is not distinct from i.due_date)
          order by n
         returning id
       )
       select (select count(*)::int from inserted) as created, (select count(*)::int from updated) as updated`,
      [
        pgArray(dataset.payments.map((payment) => studentId(payment.studentEmail))),
        pgArray(activities),
        pgArray(dataset.payments.map((payment) => payment.description)),
        pgArray(dataset.payments.map((payment) => payment.dueDate)),
        pgArray(dataset.payments.map((payment) => payment.amountCents)),
        pgArray(dataset.payments.map((payment) => payment.status)),
        pgArray(dataset.payments.map((payment) => payment.paymentDate?.toISOString() ?? null)),
        pgArray(dataset.payments.map((payment) => payment.method)),
      ],
    );
    counts.payments.created += written!.created;
    counts.payments.updated += written!.updated;
    counts.payments.unchanged += dataset.payments.length - written!.created - written!.updated;
  }
}
