import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedSampleData } from '@mergington/db';
import { databaseFingerprint, useTestDatabase } from '@mergington/db/testing';
import { appRouter } from './router.ts';
import { callerFor, createTestStudent, createTestTeacher } from './testing.ts';

// Arbitrary values thrown at every procedure that takes input, as a user allowed to call it (so the input
// is really parsed): every call must end in a 4xx error or a harmless success, and nothing may be written.
const { orm } = await useTestDatabase();
await seedSampleData(orm);
const callers = {
  anyone: callerFor(orm),
  student: callerFor(orm, (await createTestStudent(orm)).token),
  teacher: callerFor(orm, (await createTestTeacher(orm, 'admin')).token),
};

/** Which caller may reach each procedure's input parser (see the role matrix). */
function callerOf(procedure: string) {
  if (
    /^(signups\.|auth\.changePassword$|groups\.(create|join|leave)$|feedback\.(submit|delete)$)/.test(
      procedure,
    )
  ) {
    return callers.student;
  }
  if (
    /^(auth\.|(activities|committees|events|groups|news)\.(list|get)$|positions\.(current|history)$|news\.trending$|feedback\.(forActivity|distribution)$)/.test(
      procedure,
    )
  ) {
    return callers.anyone;
  }
  return callers.teacher;
}

const CLIENT_ERRORS = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
];

const nasty = fc.oneof(
  fc.constantFrom(
    "'; drop table student; --",
    '1 OR 1=1',
    '%',
    '\u0000',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    'x'.repeat(100_000),
    -1,
    0,
    2 ** 31,
    Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    1.5,
    '',
    null,
    true,
    [],
    {},
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
);
const key = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '$or',
    '$ne',
    '$gt',
    'id',
    'email',
    'activityId',
    'page',
    'pageSize',
    'as',
  ),
  fc.string({ maxLength: 10 }),
);
const input = fc.oneof(
  fc.anything({
    key,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
  }),
  fc.dictionary(key, nasty),
  fc.array(nasty),
  nasty,
);

// Procedures that take no input ignore whatever is sent: nothing to fuzz there.
const procedures = Object.entries(appRouter._def.procedures)
  .filter(([, procedure]) => (procedure as unknown as { _def: { inputs: unknown[] } })._def.inputs.length > 0)
  .map(([path]) => path);

const typeOf = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]!._def.type;

describe('arbitrary input', () => {
  it('gets only 4xx errors from every procedure and writes nothing', async () => {
    const before = await databaseFingerprint(orm);
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...procedures), input, async (procedure, value) => {
        const call = procedure
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], callerOf(procedure)) as (
          input: unknown,
        ) => Promise<unknown>;
        const code = await call(value).then(
          () => 'ok',
          (error: { code?: string }) => error.code ?? 'THROWN',
        );
        outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
        // A success is only possible for reads whose input is all optional (say, `{}` for a list); the
        // database's fingerprint below proves nothing was written.
        if (code === 'ok')
          expect({ procedure, type: typeOf(procedure) }).toEqual({ procedure, type: 'query' });
        else expect(CLIENT_ERRORS).toContain(code);
      }),
      { numRuns: 1500, seed: 20261125 },
    );
    expect(await databaseFingerprint(orm)).toBe(before);
    expect(outcomes.get('BAD_REQUEST')).toBeGreaterThan(1000);
  });
});
