import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { ConflictError } from '../../errors.ts';
import { listNotifications } from '../notifications/notifications.ts';
import { writeDailyReminders } from '../notifications/reminders.ts';
import { previewAllocation, publishAllocation } from './allocation.ts';
import { setRanking } from './rankings.ts';
import { createRound, updateRound } from './rounds.ts';

const { orm } = await useTestDatabase({ poolMax: 12 });
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

let nextName = 0;
async function activity(options: { seats?: number; grades?: number[] } = {}): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `insert into activity (name, max_participants, allowed_grades) values (?, ?, ?::smallint[]) returning id`,
    [
      `Round club ${++nextName}`,
      options.seats ?? 10,
      options.grades ? `{${options.grades.join(',')}}` : null,
    ],
  );
  return row!.id;
}
async function student(grade: number | null): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `insert into student (email, name, grade) values (?, ?, ?) returning id`,
    [`r${++nextName}@mergington.edu`, `Student ${nextName}`, grade],
  );
  return row!.id;
}
async function round(
  mode: 'first_come' | 'lottery',
  activityIds: number[],
  opensAt: string,
  closesAt: string,
): Promise<{ id: number; name: string; version: number }> {
  return createRound(fork(), {
    name: `Round ${++nextName}`,
    mode,
    opensAt,
    closesAt,
    openingWindowSeconds: 0,
    maxPerStudent: 1,
    noOverlap: false,
    maxChoices: 5,
    seniorsFirst: false,
    termStart: null,
    termEnd: null,
    activities: activityIds.map((activityId) => ({ activityId, minParticipants: null })),
  });
}
/** The notices of a kind about a round: [student, payload] in student order. */
const told = async (kind: string, roundId: number) =>
  (
    await sql<{ student_id: number; payload: Record<string, unknown> }>(
      `select student_id, payload from notification
        where kind = ? and (payload->>'roundId')::int = ? order by student_id, id`,
      [kind, roundId],
    )
  ).map((row) => [row.student_id, row.payload] as const);
/** 07:00 at the school (New York, winter) on that day, when the schedule runs. */
const sevenAm = (day: string) => new Date(`${day}T12:00:00Z`);
const run = (day: string) => writeDailyReminders(fork(), sevenAm(day));

describe('a round opens tomorrow', () => {
  it('tells the students whose grade the round admits, once, on the school day before; a moved round again', async () => {
    const ninth = await activity({ grades: [9] });
    const cancelled = await activity({ grades: [11] });
    const open = await activity();
    const [grade9, grade10, grade11, noGrade] = [
      await student(9),
      await student(10),
      await student(11),
      await student(null),
    ];
    const mine = [grade9, grade10, grade11, noGrade];
    // 2030-01-04 is a Friday: its run tells of Monday's round; Tuesday's waits for Monday's run.
    const monday = await round('first_come', [ninth, cancelled], '2030-01-07T08:00', '2030-01-10T08:00');
    await sql(`update signup_round_activity set cancelled_at = now() where activity_id = ?`, [cancelled]);
    const tuesday = await round('lottery', [open], '2030-01-08T08:00', '2030-01-10T08:00');

    await run('2030-01-03');
    expect(await told('round_opening', monday.id)).toEqual([]);
    await Promise.all([run('2030-01-04'), run('2030-01-04')]);
    await run('2030-01-04');
    expect(await told('round_opening', monday.id)).toEqual([
      [grade9, expect.objectContaining({ roundMode: 'first_come', roundWhen: 'Mon 7 Jan 2030, 08:00' })],
    ]);
    expect(await told('round_opening', tuesday.id)).toEqual([]);

    await run('2030-01-07');
    expect(
      (await told('round_opening', tuesday.id)).filter(([id]) => mine.includes(id)).map(([id]) => id),
    ).toEqual(mine);
    expect((await told('round_opening', monday.id)).map(([id]) => id)).toEqual([grade9]);

    // Moved to Tuesday 09:00: told again, with the new time; then not again.
    await updateRound(fork(), { id: monday.id, version: monday.version, opensAt: '2030-01-08T09:00' });
    await run('2030-01-07');
    await run('2030-01-07');
    expect((await told('round_opening', monday.id)).map(([, payload]) => payload.roundWhen)).toEqual([
      'Mon 7 Jan 2030, 08:00',
      'Tue 8 Jan 2030, 09:00',
    ]);
    const [notice] = (await listNotifications(fork(), grade9, { page: 1, pageSize: 1, unreadOnly: false }))
      .items;
    expect(notice).toMatchObject({
      title: `${monday.name} opens on Tue 8 Jan 2030, 09:00`,
      link: '/rounds',
    });
  });
});

describe('a round closed', () => {
  it('tells who ranked or holds a place, once, when it has closed: not at a closing time moved later', async () => {
    const [lotteryClub, firstComeClub, publishedClub] = [
      await activity(),
      await activity(),
      await activity(),
    ];
    const [ranker, member, early] = [await student(10), await student(10), await student(10)];
    // Open now (students rank against the database's clock), closing in 2030.
    const lottery = await round('lottery', [lotteryClub], '2020-01-01T08:00', '2030-02-01T08:00');
    await setRanking(fork(), ranker, { roundId: lottery.id, activityIds: [lotteryClub] });
    const firstCome = await round('first_come', [firstComeClub], '2020-01-01T08:00', '2030-02-01T08:00');
    await sql(
      `insert into activity_participant (activity_id, student_id, status) values (?, ?, 'enrolled')`,
      [firstComeClub, member],
    );
    const published = await round('lottery', [publishedClub], '2020-01-01T08:00', '2030-02-01T08:00');
    await setRanking(fork(), early, { roundId: published.id, activityIds: [publishedClub] });
    const preview = await previewAllocation(fork(), published.id);
    await publishAllocation(fork(), preview);

    // The lottery's closing moves to the 4th before it comes.
    await updateRound(fork(), { id: lottery.id, version: lottery.version, closesAt: '2030-02-04T08:00' });
    await run('2030-01-31');
    await run('2030-02-01');
    expect(await told('round_closed', lottery.id)).toEqual([]);
    expect(await told('round_closed', firstCome.id)).toEqual([]);
    // 08:00 passed on the 1st: the first-come round's member is told the next morning.
    await Promise.all([run('2030-02-04'), run('2030-02-04')]);
    expect(await told('round_closed', firstCome.id)).toEqual([
      [member, expect.objectContaining({ roundMode: 'first_come', roundWhen: 'Fri 1 Feb 2030, 08:00' })],
    ]);
    expect(await told('round_closed', lottery.id)).toEqual([]);
    await run('2030-02-05');
    await run('2030-02-06');
    expect(await told('round_closed', lottery.id)).toEqual([
      [ranker, expect.objectContaining({ roundMode: 'lottery', roundWhen: 'Mon 4 Feb 2030, 08:00' })],
    ]);
    expect((await told('round_closed', firstCome.id)).map(([id]) => id)).toEqual([member]);
    // A lottery published before it closed: its results told them more.
    expect(await told('round_closed', published.id)).toEqual([]);
    const [notice] = (await listNotifications(fork(), ranker, { page: 1, pageSize: 1, unreadOnly: false }))
      .items;
    expect(notice?.body).toContain('your ranking is final');
  });

  it('does not tell of a round that closed more than a week before the run', async () => {
    const club = await activity();
    const member = await student(10);
    const old = await round('first_come', [club], '2020-01-01T08:00', '2030-03-01T08:00');
    await sql(
      `insert into activity_participant (activity_id, student_id, status) values (?, ?, 'enrolled')`,
      [club, member],
    );
    await run('2030-03-11');
    expect(await told('round_closed', old.id)).toEqual([]);
    await run('2030-03-07');
    expect((await told('round_closed', old.id)).map(([id]) => id)).toEqual([member]);
  });
});

describe('the results of a lottery', () => {
  it('tells each student who ranked what they got, or that no place was available, with the publication', async () => {
    const [one, two] = [await activity({ seats: 1 }), await activity({ seats: 1 })];
    const lottery = await round('lottery', [one, two], '2020-01-01T08:00', '2099-01-01T08:00');
    const rankers = [await student(10), await student(10), await student(10)];
    for (const id of rankers) await setRanking(fork(), id, { roundId: lottery.id, activityIds: [one, two] });
    const outsider = await student(10);

    const preview = await previewAllocation(fork(), lottery.id);
    await publishAllocation(fork(), preview);
    const notices = await told('round_results', lottery.id);
    expect(notices.map(([id]) => id)).toEqual(rankers);
    expect(notices.map(([id]) => id)).not.toContain(outsider);
    // What each was told is what the draw gave them.
    const names = await sql<{ student_id: number; status: string; name: string }>(
      `select p.student_id, p.status, a.name from activity_participant p join activity a on a.id = p.activity_id
        where a.id in (?, ?) order by a.id`,
      [one, two],
    );
    for (const [studentId, payload] of notices) {
      const theirs = (status: string) =>
        names.filter((row) => row.student_id === studentId && row.status === status).map((row) => row.name);
      expect(payload).toMatchObject({ places: theirs('enrolled'), waitlists: theirs('waitlisted') });
    }
    const unplaced = notices.find(([, payload]) => (payload.places as string[]).length === 0)![0];
    const [notice] = (await listNotifications(fork(), unplaced, { page: 1, pageSize: 1, unreadOnly: false }))
      .items;
    expect(notice?.title).toBe(`${lottery.name}: no place was available`);
    const placed = notices.find(([, payload]) => (payload.places as string[]).length === 1)!;
    const [good] = (await listNotifications(fork(), placed[0], { page: 1, pageSize: 1, unreadOnly: false }))
      .items;
    expect(good?.title).toBe(`${lottery.name}: you have a place in ${(placed[1].places as string[])[0]}`);
  });

  it('tells nobody when the publication is refused', async () => {
    const club = await activity({ seats: 1 });
    const lottery = await round('lottery', [club], '2020-01-01T08:00', '2099-01-01T08:00');
    const [first, late] = [await student(10), await student(10)];
    await setRanking(fork(), first, { roundId: lottery.id, activityIds: [club] });
    const preview = await previewAllocation(fork(), lottery.id);
    await setRanking(fork(), late, { roundId: lottery.id, activityIds: [club] });
    await expect(publishAllocation(fork(), preview)).rejects.toBeInstanceOf(ConflictError);
    expect(await told('round_results', lottery.id)).toEqual([]);
  });
});
