import { ConfigError } from '../env.ts';

/** A failure whose message says it all: printed as one line, without a stack. */
export class TaskError extends Error {
  override name = 'TaskError';
}

/**
 * Runs a command-line task: a configuration problem or a TaskError prints one line, anything else its
 * stack; both exit non-zero. Exits explicitly so a stray handle cannot keep a finished task alive.
 */
export function run(task: () => Promise<void>): void {
  task().then(
    () => process.exit(0),
    (error: unknown) => {
      const plain = error instanceof ConfigError || error instanceof TaskError;
      console.error(plain ? `error: ${error.message}` : error);
      process.exit(1);
    },
  );
}
