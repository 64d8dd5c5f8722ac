import { describe, expect, it } from 'vitest';
import { BULK_LIMIT } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const { user: me, token } = await createTestTeacher(orm);
const teacher = callerFor(orm, token);

let counter = 0;
const newActivity = (maxParticipants: number, allowedGrades: number[] | null = null) =>
  teacher.activities.create({ name: `Bulk ${++counter}`, maxParticipants, allowedGrades });
const newStudents = (count: number, grade = 10) =>
  Promise.all(Array.from({ length: count }, () => createTestStudent(orm, { grade })));
const sql = <T>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);
const lastAuditId = async () =>
  (await sql<{ id: number | null }>(`select max(id) as id from audit_log`))[0]!.id ?? 0;
const auditedSince = (id: number) =>
  sql<{ change: string; actor: string }>(
    `select table_name || ' ' || action as change, actor_kind || ':' || actor_id as actor
       from audit_log where id > ? order by id`,
    [id],
  );

describe('bulk operations over the API', () => {
  it('adds by email: an all-or-nothing refusal changes nothing and leaves no audit row; skip refused adds the rest as the teacher', async () => {
    const activity = await newActivity(5, [10]);
    const tenth = await newStudents(2);
    const [ninth] = await newStudents(1, 9);
    const operation = {
      kind: 'add' as const,
      activityId: activity.id,
      emails: [...tenth.map((s) => s.user.email), ninth!.user.email, 'ghost@mergington.edu'],
    };
    const preview = await teacher.bulk.preview({ operation });
    expect(preview.counts).toEqual({ enrolled: 2, waitlisted: 0, withdrawn: 0, refused: 2 });

    const before = await lastAuditId();
    await expect(teacher.bulk.commit({ operation, mode: 'all-or-nothing' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(
        /^nothing was changed: 2 of the list are refused: .*no student has this email/,
      ),
    });
    expect(await auditedSince(before)).toEqual([]);
    expect((await teacher.participants.list({ activityId: activity.id })).total).toBe(0);

    const result = await teacher.bulk.commit({ operation, mode: 'skip-refused' });
    expect(result.counts).toEqual(preview.counts);
    expect(await auditedSince(before)).toEqual([
      { change: 'activity_participant insert', actor: `teacher:${me.id}` },
      { change: 'activity_participant insert', actor: `teacher:${me.id}` },
    ]);
  });

  it('never overbooks when two teachers move students into one activity at once', async () => {
    const to = await newActivity(8);
    const moves = await Promise.all(
      [0, 1].map(async () => {
        const from = await newActivity(10);
        const students = await newStudents(6);
        for (const s of students)
          await teacher.participants.add({ activityId: from.id, studentId: s.user.id });
        return { from, students };
      }),
    );
    const other = callerFor(orm, (await createTestTeacher(orm)).token);
    const results = await Promise.all(
      moves.map(({ from, students }, i) =>
        (i === 0 ? teacher : other).bulk.commit({
          operation: {
            kind: 'move',
            fromActivityId: from.id,
            toActivityId: to.id,
            studentIds: students.map((s) => s.user.id),
          },
          mode: 'all-or-nothing',
        }),
      ),
    );
    expect(results.map((r) => r.counts.enrolled).reduce((a, b) => a + b)).toBe(8);
    const [seats] = await sql<{
      enrolled_count: number;
      waitlist_count: number;
      enrolled: number;
      waiting: number;
    }>(
      `select a.enrolled_count, a.waitlist_count,
              count(*) filter (where p.status = 'enrolled')::int as enrolled,
              count(*) filter (where p.status = 'waitlisted')::int as waiting
         from activity a join activity_participant p on p.activity_id = a.id where a.id = ? group by a.id`,
      [to.id],
    );
    expect(seats).toEqual({ enrolled_count: 8, waitlist_count: 4, enrolled: 8, waiting: 4 });
  });

  it(`takes at most ${BULK_LIMIT} emails, and a move to another activity only`, async () => {
    const activity = await newActivity(5);
    const emails = Array.from({ length: BULK_LIMIT + 1 }, (_, i) => `s${i}@mergington.edu`);
    await expect(
      teacher.bulk.preview({ operation: { kind: 'add', activityId: activity.id, emails } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/at most 500 emails/) });
    await expect(
      teacher.bulk.preview({
        operation: { kind: 'move', fromActivityId: activity.id, toActivityId: activity.id, studentIds: [1] },
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/choose another activity/),
    });
  });
});
