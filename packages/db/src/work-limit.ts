import { ServerBusyError } from './errors.ts';

/**
 * Runs at most `concurrency` tasks at once and lets at most `queueLength` more wait; a task beyond that is
 * refused at once (ServerBusyError) rather than queued without end. Password hashing goes through one, so
 * that a flood of logins cannot take every core from the other requests.
 */
export class WorkLimit {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLength: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) {
      this.#running++;
    } else {
      if (this.#waiting.length >= this.queueLength) throw new ServerBusyError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the finisher hands us its slot
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
