import { describe, expect, it } from 'vitest';
import { ServerBusyError } from './errors.ts';
import { WorkLimit } from './work-limit.ts';

describe('WorkLimit', () => {
  it('runs no more than its concurrency at once, the rest in turn, and refuses past its queue', async () => {
    const limit = new WorkLimit(2, 3);
    let running = 0;
    let mostAtOnce = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      limit.run(async () => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        return 'done';
      });
    const accepted = Promise.all(Array.from({ length: 5 }, task)); // 2 running, 3 waiting
    await expect(task()).rejects.toBeInstanceOf(ServerBusyError);

    let finished = false;
    void accepted.then(() => (finished = true));
    while (!finished) {
      gates.shift()?.(); // one task at a time ends; a waiting one takes its place
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await accepted).toEqual(Array(5).fill('done'));
    expect(mostAtOnce).toBe(2);
  });
});
