import { describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from '@mergington/api';
import { startTestServer } from '@mergington/api/testing';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { createClient } from './index.ts';

const { orm } = await useTestDatabase();
await seedSampleData(orm);
const url = `${await startTestServer(orm)}/trpc`;

describe('createClient over real HTTP', () => {
  it('calls a procedure and gets typed data back', async () => {
    const client = createClient({ url });
    const { items: activities } = await client.activities.list.query({});
    expect(activities.map((activity) => activity.name)).toContain('Weekend Robotics Workshop');
    const robotics = activities.find((activity) => activity.name === 'Weekend Robotics Workshop');
    expect(robotics).toMatchObject({ scheduleDays: ['saturday'], maxParticipants: 15, spotsLeft: 13 });
  });

  it('batches calls made together into one request', async () => {
    let requests = 0;
    const client = createClient({
      url,
      fetch: (input, init) => {
        requests++;
        return fetch(input, init);
      },
    });
    const [first, second] = await Promise.all([
      client.activities.list.query({}),
      client.activities.get.query({ id: 1 }),
    ]);
    expect(first.items.find((activity) => activity.id === 1)?.name).toBe(second.name);
    expect(requests).toBe(1);
  });

  it('splits more calls than the API takes in one request into several batches', async () => {
    const client = createClient({ url });
    const calls = Array.from({ length: 3 * MAX_BATCH_SIZE }, () => client.activities.categories.query());
    expect(await Promise.all(calls)).toHaveLength(3 * MAX_BATCH_SIZE);
  });

  it('works as the README shows: log in, then call as that user', async () => {
    const anonymous = createClient({ url });
    const { token } = await anonymous.auth.logIn.mutate({
      as: 'teacher',
      login: 'principal',
      password: 'admin789',
    });
    const client = createClient({ url, token: token! });
    const { items } = await client.activities.list.query({ day: 'friday', hasSeats: true });
    expect(items.map((activity) => activity.name)).toContain('Chess Club');
    const added = await client.participants.addNewStudent.mutate({
      activityId: items[0]!.id,
      email: 'new.student@mergington.edu',
      name: 'New Student',
      grade: 10,
    });
    expect(added.status).toBe('enrolled');
    await expect(
      anonymous.participants.add.mutate({ activityId: items[0]!.id, email: 'x@mergington.edu' }),
    ).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED', httpStatus: 401 },
    });
  });
});
