import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@mergington/db/testing';
import { callerFor, createTestStudent, createTestTeacher } from '../testing.ts';

const { orm } = await useTestDatabase();
const teacher = callerFor(orm, (await createTestTeacher(orm)).token);
const today = new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let n = 0;
const newCommittee = () =>
  teacher.committees.create({ name: `Council ${++n}`, description: 'Students who lead' });

describe('positions', () => {
  it('have one holder at a time: an overlapping term is a conflict naming the current holder', async () => {
    const council = await newCommittee();
    const [ana, ben] = [await createTestStudent(orm), await createTestStudent(orm)];
    await teacher.positions.assign({
      committeeId: council.id,
      studentId: ana.user.id,
      positionName: 'President',
      termStart: '2026-09-01',
      termEnd: '2027-06-30',
    });
    await expect(
      teacher.positions.assign({
        committeeId: council.id,
        studentId: ben.user.id,
        positionName: 'president',
        termStart: '2027-01-01',
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `President of ${council.name} is held by ${ana.user.name} from 2026-09-01 to 2027-06-30`,
    });
    // The next term may start the day this one ends; another position may overlap.
    await teacher.positions.assign({
      committeeId: council.id,
      studentId: ben.user.id,
      positionName: 'President',
      termStart: '2027-06-30',
    });
    await teacher.positions.assign({
      committeeId: council.id,
      studentId: ben.user.id,
      positionName: 'Treasurer',
      termStart: '2026-09-01',
    });
  });

  it('refuse a term that ends before it starts', async () => {
    const council = await newCommittee();
    const s = await createTestStudent(orm);
    await expect(
      teacher.positions.assign({
        committeeId: council.id,
        studentId: s.user.id,
        positionName: 'Clerk',
        termStart: '2026-09-01',
        termEnd: '2026-08-01',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('hold even when two assignments race: the database lets exactly one through', async () => {
    const council = await newCommittee();
    const students = await Promise.all(Array.from({ length: 8 }, () => createTestStudent(orm)));
    const outcomes = await Promise.allSettled(
      students.map((s) =>
        teacher.positions.assign({
          committeeId: council.id,
          studentId: s.user.id,
          positionName: 'Chair',
          termStart: '2026-01-01',
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    }
  });

  it('end early, show current holders to anyone, keep the history, and show students their own', async () => {
    const council = await newCommittee();
    const [old, current] = [await createTestStudent(orm), await createTestStudent(orm)];
    const first = await teacher.positions.assign({
      committeeId: council.id,
      studentId: old.user.id,
      positionName: 'Secretary',
      termStart: daysFromToday(-100),
    });
    expect(first.current).toBe(true);
    const ended = await teacher.positions.endTerm({ id: first.id });
    expect(ended).toMatchObject({ termEnd: today, current: false });
    await expect(
      teacher.positions.endTerm({ id: first.id, endDate: daysFromToday(5) }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('already ends'),
    });
    await expect(
      teacher.positions.endTerm({ id: first.id, endDate: daysFromToday(-200) }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await teacher.positions.assign({
      committeeId: council.id,
      studentId: current.user.id,
      positionName: 'Secretary',
      termStart: today,
    });

    // Signed in: the holders' ids (a visitor sees names only: visitors.test.ts).
    const holders = await teacher.positions.current({ committeeId: council.id });
    expect(holders).toMatchObject([{ positionName: 'Secretary', student: { id: current.user.id } }]);
    const history = await teacher.positions.history({ committeeId: council.id, positionName: 'secretary' });
    expect(history).toMatchObject([{ student: { id: current.user.id } }, { student: { id: old.user.id } }]);
    expect(await callerFor(orm, old.token).positions.mine()).toEqual([
      expect.objectContaining({ id: first.id, termEnd: today }),
    ]);
  });

  it("list a whole committee's terms, former holders marked ended, by position, newest first", async () => {
    const club = await newCommittee();
    const other = await newCommittee();
    const [ann, bo, cy] = [
      await createTestStudent(orm),
      await createTestStudent(orm),
      await createTestStudent(orm),
    ];
    const assign = (studentId: number, positionName: string, termStart: string, termEnd: string | null) =>
      teacher.positions.assign({ committeeId: club.id, studentId, positionName, termStart, termEnd });
    await assign(ann.user.id, 'President', daysFromToday(-400), daysFromToday(-30));
    await assign(bo.user.id, 'President', daysFromToday(-30), null);
    await assign(cy.user.id, 'Treasurer', daysFromToday(-200), daysFromToday(-1));
    await teacher.positions.assign({
      committeeId: other.id,
      studentId: ann.user.id,
      positionName: 'Clerk',
      termStart: daysFromToday(-10),
    });

    const history = await teacher.positions.history({ committeeId: club.id });
    expect(history).toMatchObject([
      { positionName: 'President', student: { id: bo.user.id }, termEnd: null, current: true, ended: false },
      {
        positionName: 'President',
        student: { id: ann.user.id },
        termEnd: daysFromToday(-30),
        current: false,
        ended: true,
      },
      {
        positionName: 'Treasurer',
        student: { id: cy.user.id },
        termEnd: daysFromToday(-1),
        current: false,
        ended: true,
      },
    ]);
    // Every committee's, for the committees page; anyone may read it (visitors.test: names shortened).
    const all = await callerFor(orm).positions.history({});
    expect(all.filter((p) => p.committee.id === club.id)).toHaveLength(3);
    const signedIn = await teacher.positions.history({});
    expect(signedIn).toContainEqual(
      expect.objectContaining({
        committee: { id: other.id, name: other.name },
        student: { id: ann.user.id, name: ann.user.name },
      }),
    );
  });
});
