import { describe, expect, it } from 'vitest';
import type { BulkApplyInput, BulkOperation } from '@mergington/contract';
import { rosters } from '../../../test/rosters.ts';
import { useTestDatabase } from '../../../test/test-database.ts';
import { NotFoundError, RuleViolationError } from '../../errors.ts';
import { signUp, waitlist } from '../activities/signups.ts';
import { asAuditActor } from '../audit/audit.ts';
import { createGroup, getGroup, joinGroup } from '../groups/groups.ts';
import { applyBulk, previewBulk } from './bulk.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const fork = () => orm.em.fork();
const { sql, createActivity, createStudents, seatProblems } = rosters(orm);

const TEACHER = {
  kind: 'teacher',
  id: 1,
  name: 'Ms. Test',
  requestId: 'bulk',
  clientAddress: '127.0.0.1',
} as const;
const apply = (input: BulkApplyInput) => asAuditActor(fork(), TEACHER, (tx) => applyBulk(tx, input));

async function signUpAll(activityId: number, studentIds: number[]) {
  for (const id of studentIds) await signUp(fork(), id, activityId);
}
async function roster(activityId: number) {
  return sql<{ student_id: number; status: string }>(
    `select student_id, status from activity_participant where activity_id = ? order by id`,
    [activityId],
  );
}
async function emailsOf(studentIds: number[]) {
  const rows = await sql<{ email: string }>(
    `select email from student where id = any(?::int[]) order by id`,
    [`{${studentIds.join(',')}}`],
  );
  return rows.map((row) => row.email);
}
const auditCount = async () =>
  (await sql<{ count: number }>(`select count(*)::int as count from audit_log`))[0]!.count;

describe('adding students by email', () => {
  it('enrols while seats remain, then waitlists in the order of the list, and refuses with the reason', async () => {
    const activity = await createActivity(2, { allowedGrades: [10, 11] });
    const [a, b, c, already] = await createStudents(4);
    const [ninth] = await createStudents(1, 9);
    await signUp(fork(), already!, activity);
    const [emailA, emailB, emailC, emailAlready, emailNinth] = await emailsOf([a!, b!, c!, already!, ninth!]);
    const operation: BulkOperation = {
      kind: 'add',
      activityId: activity,
      emails: [
        emailA!.toUpperCase(),
        'nobody@mergington.edu',
        emailB!,
        'not an email',
        emailAlready!,
        emailNinth!,
        emailC!,
        emailA!,
      ],
    };
    const auditedBefore = await auditCount();
    const preview = await previewBulk(fork(), operation);
    expect(await auditCount()).toBe(auditedBefore); // the preview writes nothing
    expect(await roster(activity)).toEqual([{ student_id: already, status: 'enrolled' }]);
    expect(preview.rows.map((row) => [row.key, row.outcome, row.waitlistPosition, row.refusal])).toEqual([
      [emailA, 'enrolled', null, null],
      ['nobody@mergington.edu', 'refused', null, 'unknown-email'],
      [emailB, 'waitlisted', 1, null],
      ['not an email', 'refused', null, 'invalid-email'],
      [emailAlready, 'refused', null, 'already-signed-up'],
      [emailNinth, 'refused', null, 'grade-not-allowed'],
      [emailC, 'waitlisted', 2, null],
    ]);
    expect(preview.rows.find((row) => row.refusal === 'grade-not-allowed')!.reason).toMatch(
      /open to grades 10, 11 only, not grade 9/,
    );
    expect(preview.counts).toEqual({ enrolled: 1, waitlisted: 2, withdrawn: 0, refused: 4 });

    const result = await apply({ operation, mode: 'skip-refused' });
    expect(result.rows).toEqual(preview.rows);
    expect(await roster(activity)).toEqual([
      { student_id: already, status: 'enrolled' },
      { student_id: a, status: 'enrolled' },
      { student_id: b, status: 'waitlisted' },
      { student_id: c, status: 'waitlisted' },
    ]);
    // An unknown email never becomes a student.
    expect(await sql(`select id from student where email = 'nobody@mergington.edu'`)).toEqual([]);
    expect(await seatProblems(activity)).toEqual([]);
  });

  it('names a missing activity', async () => {
    await expect(
      previewBulk(fork(), { kind: 'add', activityId: 999_999, emails: ['a@b.cd'] }),
    ).rejects.toThrow(new NotFoundError('activity', 999_999));
  });

  it('refuses a signup round’s activity, whose rules a bulk add would bypass', async () => {
    const activity = await createActivity(5);
    const [round] = await sql<{ id: number }>(
      `insert into signup_round (name, mode, opens_at, closes_at)
       values ('Bulk round', 'first_come', now() - interval '1 day', now() + interval '1 day') returning id`,
    );
    await sql(`insert into signup_round_activity (round_id, activity_id) values (?, ?)`, [
      round!.id,
      activity,
    ]);
    const [email] = await emailsOf(await createStudents(1));
    const operation: BulkOperation = { kind: 'add', activityId: activity, emails: [email!] };
    await expect(previewBulk(fork(), operation)).rejects.toThrow(/is in the signup round Bulk round/);
    await expect(apply({ operation, mode: 'skip-refused' })).rejects.toBeInstanceOf(RuleViolationError);
    expect(await roster(activity)).toEqual([]);
  });
});

describe('moving students', () => {
  /** 50 students of grade 10 or 9 in `from` (40 enrolled, 10 waiting), and `to` open to grade 10 only. */
  async function fiftyToMove() {
    const from = await createActivity(40);
    const to = await createActivity(100, { allowedGrades: [10] });
    const tenth = await createStudents(40, 10);
    const ninth = await createStudents(10, 9);
    // Every fifth signup is a ninth grader: the refused are spread through the list.
    const students = tenth.flatMap((id, i) => (i % 4 === 3 ? [id, ninth[(i - 3) / 4]!] : [id]));
    await signUpAll(from, students);
    return { from, to, students, tenth, ninth };
  }

  it('moves the 40 a rule lets through and refuses 10 (skip refused), as previewed', async () => {
    const { from, to, students, tenth, ninth } = await fiftyToMove();
    const operation: BulkOperation = {
      kind: 'move',
      fromActivityId: from,
      toActivityId: to,
      studentIds: students,
    };
    const preview = await previewBulk(fork(), operation);
    expect(preview.counts).toEqual({ enrolled: 40, waitlisted: 0, withdrawn: 40, refused: 10 });
    expect(
      preview.rows.filter((row) => row.refusal === 'grade-not-allowed').map((row) => row.studentId),
    ).toEqual(expect.arrayContaining(ninth));

    const result = await apply({
      operation,
      mode: 'skip-refused',
      previewed: preview.rows.map(({ key, outcome, waitlistPosition }) => ({
        key,
        outcome,
        waitlistPosition,
      })),
    });
    expect(result.changedSincePreview).toEqual([]);
    expect(result.counts).toEqual(preview.counts);
    expect((await roster(to)).map((row) => row.student_id).sort()).toEqual([...tenth].sort());
    // The refused stay where they were, and now all of them have seats (10 were waiting, 40 seats freed).
    expect(await roster(from)).toEqual(ninth.map((id) => ({ student_id: id, status: 'enrolled' })));
    expect(result.promoted.map((p) => p.studentId).sort()).toEqual(
      ninth.filter((id) => students.indexOf(id) >= 40).sort(),
    );
    expect([...(await seatProblems(from)), ...(await seatProblems(to))]).toEqual([]);
  });

  it('moves no one when any is refused (all or nothing), names them, and leaves no audit row', async () => {
    const { from, to, students } = await fiftyToMove();
    const before = { from: await roster(from), to: await roster(to), audit: await auditCount() };
    const failure = apply({
      operation: { kind: 'move', fromActivityId: from, toActivityId: to, studentIds: students },
      mode: 'all-or-nothing',
    });
    await expect(failure).rejects.toThrow(RuleViolationError);
    await expect(failure).rejects.toThrow(/nothing was changed: 10 of the list are refused: .*not grade 9/);
    expect({ from: await roster(from), to: await roster(to), audit: await auditCount() }).toEqual(before);
  });

  it('keeps the waitlist order, behind the waitlist already there', async () => {
    const from = await createActivity(2);
    const to = await createActivity(1);
    const [x, y] = await createStudents(2);
    await signUpAll(to, [x!, y!]); // to: x enrolled, y waiting
    const students = await createStudents(6);
    await signUpAll(from, students); // from: 2 enrolled, 4 waiting in order
    const picked = [students[5]!, students[0]!, students[3]!, students[2]!]; // listed out of order
    const result = await apply({
      operation: { kind: 'move', fromActivityId: from, toActivityId: to, studentIds: picked },
      mode: 'all-or-nothing',
    });
    // Their order in the first activity: the enrolled one, then the waitlist in its order.
    expect(result.rows.map((row) => [row.studentId, row.outcome, row.waitlistPosition])).toEqual([
      [students[0], 'waitlisted', 2],
      [students[2], 'waitlisted', 3],
      [students[3], 'waitlisted', 4],
      [students[5], 'waitlisted', 5],
    ]);
    expect(await waitlist(fork(), to)).toEqual([
      { studentId: y, position: 1 },
      { studentId: students[0], position: 2 },
      { studentId: students[2], position: 3 },
      { studentId: students[3], position: 4 },
      { studentId: students[5], position: 5 },
    ]);
    // The seat students[0] left goes to the first in line who stays: students[4] (students[2] moved).
    expect(result.promoted.map((p) => p.studentId)).toEqual([students[4]]);
    expect(await roster(from)).toEqual([
      { student_id: students[1], status: 'enrolled' },
      { student_id: students[4], status: 'enrolled' },
    ]);
    expect([...(await seatProblems(from)), ...(await seatProblems(to))]).toEqual([]);
  });

  it('takes a mover out of their group of the first activity, which passes to the member who stays', async () => {
    const from = await createActivity(5);
    const to = await createActivity(5);
    const [leader, member] = await createStudents(2);
    await signUpAll(from, [leader!, member!]);
    const group = await createGroup(fork(), leader!, { activityId: from, name: 'Team' });
    await joinGroup(fork(), member!, group.id);
    const audited = await auditCount();
    await apply({
      operation: { kind: 'move', fromActivityId: from, toActivityId: to, studentIds: [leader!] },
      mode: 'all-or-nothing',
    });
    const after = await getGroup(fork(), group.id);
    expect(after.members.map((m) => ('studentId' in m ? [m.studentId, m.role] : null))).toEqual([
      [member, 'leader'],
    ]);
    const changes = await sql<{ change: string }>(
      `select table_name || ' ' || action as change from audit_log where id > ? order by id`,
      [audited],
    );
    expect(changes.map((row) => row.change)).toContain('group_member delete');
  });

  it('copies without touching the first activity, and refuses who is not in it', async () => {
    const from = await createActivity(5);
    const to = await createActivity(5);
    const [a, b, outsider] = await createStudents(3);
    await signUpAll(from, [a!, b!]);
    const result = await apply({
      operation: { kind: 'copy', fromActivityId: from, toActivityId: to, studentIds: [b!, outsider!, a!] },
      mode: 'skip-refused',
    });
    expect(result.rows.map((row) => [row.studentId, row.outcome, row.refusal])).toEqual([
      [a, 'enrolled', null],
      [b, 'enrolled', null],
      [outsider, 'refused', 'not-in-source'],
    ]);
    expect(result.counts.withdrawn).toBe(0);
    expect((await roster(from)).map((row) => row.student_id)).toEqual([a, b]);
    expect((await roster(to)).map((row) => row.student_id)).toEqual([a, b]);
  });

  it('never overbooks an activity that two moves fill at once, on separate connections', async () => {
    const to = await createActivity(30);
    const sources = [await createActivity(40), await createActivity(40), await createActivity(40)];
    const groups = [await createStudents(25), await createStudents(25), await createStudents(25)];
    for (const [i, source] of sources.entries()) await signUpAll(source, groups[i]!);
    // Each plan alone would enrol all 25: together they must share 30 seats.
    const results = await Promise.all(
      sources.map((source, i) =>
        apply({
          operation: { kind: 'move', fromActivityId: source, toActivityId: to, studentIds: groups[i]! },
          mode: 'all-or-nothing',
        }),
      ),
    );
    const enrolled = results.reduce((sum, result) => sum + result.counts.enrolled, 0);
    expect(enrolled).toBe(30);
    expect(results.reduce((sum, result) => sum + result.counts.waitlisted, 0)).toBe(45);
    const [counters] = await sql<{ enrolled_count: number; max_participants: number }>(
      `select enrolled_count, max_participants from activity where id = ?`,
      [to],
    );
    expect(counters!.enrolled_count).toBeLessThanOrEqual(counters!.max_participants);
    expect(await seatProblems(to)).toEqual([]);
    for (const source of sources) expect(await roster(source)).toEqual([]);
  });

  it('says where the roster changed since the preview', async () => {
    const from = await createActivity(5);
    const to = await createActivity(1);
    const [a, late] = await createStudents(2);
    await signUp(fork(), a!, from);
    const operation: BulkOperation = {
      kind: 'move',
      fromActivityId: from,
      toActivityId: to,
      studentIds: [a!],
    };
    const preview = await previewBulk(fork(), operation);
    expect(preview.rows[0]).toMatchObject({ outcome: 'enrolled' });
    await signUp(fork(), late!, to); // takes the only seat meanwhile
    const result = await apply({
      operation,
      mode: 'all-or-nothing',
      previewed: preview.rows.map(({ key, outcome, waitlistPosition }) => ({
        key,
        outcome,
        waitlistPosition,
      })),
    });
    expect(result.changedSincePreview).toEqual([
      {
        key: String(a),
        name: preview.rows[0]!.name,
        previewed: { outcome: 'enrolled', waitlistPosition: null },
        applied: { outcome: 'waitlisted', waitlistPosition: 1 },
      },
    ]);
    expect(await seatProblems(to)).toEqual([]);
  });
});

describe('withdrawing students', () => {
  it('withdraws a set, gives the freed seats to the waitlist in order, and refuses who is not signed up', async () => {
    const activity = await createActivity(2);
    const students = await createStudents(5);
    await signUpAll(activity, students); // 0, 1 enrolled; 2, 3, 4 waiting
    const [outsider] = await createStudents(1);
    const operation: BulkOperation = {
      kind: 'withdraw',
      activityId: activity,
      studentIds: [students[0]!, students[2]!, outsider!],
    };
    const preview = await previewBulk(fork(), operation);
    expect(preview.promoted.map((p) => p.studentId)).toEqual([students[3]]);
    await expect(apply({ operation, mode: 'all-or-nothing' })).rejects.toThrow(/not signed up for/);
    const result = await apply({ operation, mode: 'skip-refused' });
    expect(result.rows.map((row) => [row.studentId, row.outcome, row.refusal])).toEqual([
      [students[0], 'withdrawn', null],
      [students[2], 'withdrawn', null],
      [outsider, 'refused', 'not-signed-up'],
    ]);
    expect(result.promoted).toEqual(preview.promoted);
    expect(await roster(activity)).toEqual([
      { student_id: students[1], status: 'enrolled' },
      { student_id: students[3], status: 'enrolled' },
      { student_id: students[4], status: 'waitlisted' },
    ]);
    expect(await seatProblems(activity)).toEqual([]);
  });
});
