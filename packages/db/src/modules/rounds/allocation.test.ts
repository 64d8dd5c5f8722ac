import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/test-database.ts';
import { ConflictError } from '../../errors.ts';
import { cancelRoundActivity, previewAllocation, publishAllocation, roundWhy } from './allocation.ts';
import { myRound, setRanking } from './rankings.ts';
import { createRound } from './rounds.ts';

const { orm } = await useTestDatabase({ poolMax: 20 });
const fork = () => orm.em.fork();
const sql = <T extends object = object>(text: string, params: unknown[] = []) =>
  fork().getConnection().execute<T[]>(text, params);

let nextName = 0;
async function activities(seats: number[]): Promise<number[]> {
  const ids: number[] = [];
  for (const max of seats) {
    const [row] = await sql<{ id: number }>(
      `insert into activity (name, max_participants) values (?, ?) returning id`,
      [`Lottery club ${++nextName}`, max],
    );
    ids.push(row!.id);
  }
  return ids;
}

async function students(count: number): Promise<number[]> {
  const batch = ++nextName;
  const rows = await sql<{ id: number }>(
    `insert into student (email, name, grade)
     select 'l' || ? || '-' || n || '@mergington.edu', 'Student ' || n, 9 + n % 4 from generate_series(1, ?) n
     returning id`,
    [batch, count],
  );
  return rows.map((row) => row.id);
}

/** An open lottery; each student ranks the activities in a rotated order. */
async function lottery(
  seats: number[],
  count: number,
  options: { maxPerStudent?: number; min?: number } = {},
) {
  const ids = await activities(seats);
  const round = await createRound(fork(), {
    name: `Lottery ${++nextName}`,
    mode: 'lottery',
    opensAt: '2020-01-01T08:00',
    closesAt: '2099-01-01T08:00',
    openingWindowSeconds: 0,
    maxPerStudent: options.maxPerStudent ?? 1,
    noOverlap: false,
    maxChoices: 5,
    seniorsFirst: false,
    termStart: null,
    termEnd: null,
    activities: ids.map((activityId) => ({ activityId, minParticipants: options.min ?? null })),
  });
  const people = await students(count);
  for (const [index, studentId] of people.entries()) {
    const rotated = [...ids.slice(index % ids.length), ...ids.slice(0, index % ids.length)];
    await setRanking(fork(), studentId, { roundId: round.id, activityIds: rotated.slice(0, 3) });
  }
  return { roundId: round.id, ids, people };
}

const written = async (roundId: number) => {
  const [row] = await sql<{ signups: number; draws: number; published: boolean }>(
    `select (select count(*)::int from activity_participant p
              join signup_round_activity ra on ra.activity_id = p.activity_id where ra.round_id = ?) as signups,
            (select count(*)::int from round_draw where round_id = ?) as draws,
            (select published_at is not null from signup_round where id = ?) as published`,
    [roundId, roundId, roundId],
  );
  return row!;
};

describe('the lottery in the database', () => {
  it('previews without writing; the same seed gives the same allocation; publication writes exactly it', async () => {
    const { roundId } = await lottery([2, 3, 4], 12, { maxPerStudent: 2 });
    const first = await previewAllocation(fork(), roundId);
    expect(await previewAllocation(fork(), roundId, first.seed)).toEqual(first);
    expect(await written(roundId)).toEqual({ signups: 0, draws: 0, published: false });
    const published = await publishAllocation(fork(), first);
    expect(published.statistics).toEqual(first.statistics);
    const state = await written(roundId);
    expect(state).toEqual({
      signups: first.statistics.placements + first.statistics.waitlistEntries,
      draws: 12,
      published: true,
    });
    const [seed] = await sql<{ lottery_seed: number }>(`select lottery_seed from signup_round where id = ?`, [
      roundId,
    ]);
    expect(seed!.lottery_seed).toBe(first.seed);
    // A second publication is refused and writes nothing.
    await expect(publishAllocation(fork(), first)).rejects.toThrow(/is published already/);
    expect(await written(roundId)).toEqual(state);
  });

  it('refuses a publication after a late ranking change, and then a ranking change after publication', async () => {
    const { roundId, ids, people } = await lottery([2, 2, 2], 9);
    const preview = await previewAllocation(fork(), roundId);
    await setRanking(fork(), people[0]!, { roundId, activityIds: [ids[2]!] });
    await expect(publishAllocation(fork(), preview)).rejects.toThrow(ConflictError);
    expect(await written(roundId)).toEqual({ signups: 0, draws: 0, published: false });
    await publishAllocation(fork(), await previewAllocation(fork(), roundId));
    await expect(setRanking(fork(), people[0]!, { roundId, activityIds: [ids[0]!] })).rejects.toThrow(
      /is published: rankings are closed/,
    );
  });

  it('racing publications and a late ranking change: exactly one wins, nothing half-written', async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const { roundId, ids, people } = await lottery([2, 2, 2], 9);
      const preview = await previewAllocation(fork(), roundId);
      const results = await Promise.allSettled([
        publishAllocation(fork(), preview),
        publishAllocation(fork(), preview),
        setRanking(fork(), people[attempt]!, { roundId, activityIds: [ids[1]!, ids[0]!] }),
      ]);
      const [firstPublish, secondPublish, ranking] = results.map((r) => r.status === 'fulfilled');
      expect(firstPublish && secondPublish).toBe(false);
      const state = await written(roundId);
      if (ranking) {
        // The change came first: the preview is stale, so neither publication went through.
        expect([firstPublish, secondPublish]).toEqual([false, false]);
        expect(state).toEqual({ signups: 0, draws: 0, published: false });
      } else {
        expect(firstPublish || secondPublish).toBe(true);
        expect(state).toEqual({
          signups: preview.statistics.placements + preview.statistics.waitlistEntries,
          draws: 9,
          published: true,
        });
      }
    }
  });

  it('says why, and cancelling an under-subscribed activity moves its students to their next choices', async () => {
    // Everyone ranks [a, b, c] rotated; a has 1 seat, so most meet their first choice elsewhere or wait.
    const { roundId, ids, people } = await lottery([1, 6, 6], 6, { min: 3 });
    await publishAllocation(fork(), await previewAllocation(fork(), roundId));
    const why = await roundWhy(fork(), roundId, people[0]!);
    expect(why.drawSize).toBe(6);
    expect(why.choices[0]!.activityId).toBe(ids[0]);
    expect(why.choices[0]!.text).toMatch(
      why.choices[0]!.outcome === 'placed'
        ? /^You got Lottery club \d+, your 1st choice \(your turn came \d+(st|nd|rd|th) of 6\)\.$/
        : /^Lottery club \d+ was full when your turn came \(\d+(st|nd|rd|th) of 6\)/,
    );
    // Activity a has 1 of at least 3: cancel it; its student gets their next choice.
    const [holder] = await sql<{ student_id: number }>(
      `select student_id from activity_participant where activity_id = ? and status = 'enrolled'`,
      [ids[0]],
    );
    const result = await cancelRoundActivity(fork(), { roundId, activityId: ids[0]! });
    expect(result.moved).toBeGreaterThanOrEqual(1);
    expect(await sql(`select id from activity_participant where activity_id = ?`, [ids[0]])).toEqual([]);
    const mine = await myRound(fork(), holder!.student_id, roundId);
    expect(mine.signups.map((s) => s.status)).toEqual(['enrolled']);
    expect(mine.why!.choices.find((c) => c.activityId === ids[0])).toMatchObject({ outcome: 'cancelled' });
    // Told: the cancelled activity, and where they stand now.
    const [told] = await sql<{ payload: Record<string, unknown> }>(
      `select payload from notification
        where student_id = ? and kind = 'round_results' and payload->>'cancelledActivity' is not null`,
      [holder!.student_id],
    );
    const nameOf = async (id: number) =>
      (await sql<{ name: string }>(`select name from activity where id = ?`, [id]))[0]!.name;
    expect(told!.payload).toMatchObject({
      cancelledActivity: await nameOf(ids[0]!),
      places: [await nameOf(mine.signups[0]!.activityId)],
      waitlists: [],
    });
  });
});
