import type { TRPCDataTransformer } from '@trpc/server';
import superjson from 'superjson';

/**
 * superjson, with a shortcut for answers that are plain JSON already (most reads: the activity list's page is
 * strings, numbers and arrays). superjson walks such a value building paths for each node to find nothing to
 * annotate, which cost about 1 ms of a 50-activity page (bench/profile-summary.ts); one plain walk finds out
 * instead, and the answer is what superjson would have sent: `{ json: value }` without `meta`. Anything else
 * (a Date, undefined, NaN, -0, a Map, a class instance, an object met twice) goes to superjson as before.
 */
export const transformer: TRPCDataTransformer = {
  serialize: (value: unknown) =>
    isPlainJson(value, new Set()) ? { json: value } : superjson.serialize(value),
  deserialize: (value) => superjson.deserialize(value),
};

function isPlainJson(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      // superjson marks an object met twice (referentialEqualities).
      if (seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          if (!(index in value) || !isPlainJson(value[index], seen)) return false;
        }
        return true;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return false;
      if (Object.getOwnPropertySymbols(value).length) return false;
      for (const key in value) {
        if (!isPlainJson((value as Record<string, unknown>)[key], seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
