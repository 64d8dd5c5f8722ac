import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it, vi } from 'vitest';
import { transformer } from './transformer.ts';

const wire = (value: unknown) => JSON.stringify(value);

describe('transformer', () => {
  it('sends what superjson sends, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          // superjson refuses the keys of prototype pollution (__proto__, prototype, constructor); the output
          // schemas never produce them.
          key: fc.string().filter((key) => !['__proto__', 'prototype', 'constructor'].includes(key)),
          withDate: true,
          withMap: true,
          withSet: true,
          withBigInt: true,
          withNullPrototype: true,
          withSparseArray: true,
          withObjectString: true,
        }),
        (value) => {
          expect(wire(transformer.serialize(value))).toBe(wire(superjson.serialize(value)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sends what superjson sends for an object met twice, -0 and an undefined field', () => {
    const shared = { id: 1 };
    const sparse = [1, 2, 3];
    delete sparse[1];
    for (const value of [{ a: shared, b: [shared] }, { n: -0 }, { a: undefined }, sparse, undefined]) {
      expect(wire(transformer.serialize(value))).toBe(wire(superjson.serialize(value)));
    }
  });

  it('reads back what superjson would', () => {
    const value = { when: new Date(0), tags: new Set(['a']), page: [{ id: 1, name: 'Chess' }] };
    expect(transformer.deserialize(transformer.serialize(value))).toEqual(value);
  });

  it('does not walk a plain JSON answer with superjson', () => {
    const serialize = vi.spyOn(superjson, 'serialize');
    const page = { items: [{ id: 1, name: 'Chess', days: ['monday'], grades: null, full: false }], total: 1 };
    expect(transformer.serialize(page)).toEqual({ json: page });
    expect(serialize).not.toHaveBeenCalled();
    serialize.mockRestore();
  });
});
