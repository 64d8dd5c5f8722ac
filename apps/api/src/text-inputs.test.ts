import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textSchema } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { appRouter } from './router.ts';
import { startTestServer } from './testing.ts';

// PostgreSQL's text cannot hold a NUL: one that reached a statement was a 503 "database unavailable".

interface Def {
  type: string;
  format?: string;
  checks?: unknown[];
  [key: string]: unknown;
}
const defOf = (schema: unknown) => (schema as z.core.$ZodType)._zod.def as unknown as Def;

/** Formats whose own pattern leaves no room for a NUL. */
const NUL_FREE_FORMATS = ['uuid', 'date', 'datetime', 'base64'];
const NUL_CHECK = defOf(textSchema).checks![0];

/** The paths of every string in a schema that does not refuse a NUL. */
function stringsAcceptingNul(schema: unknown, path: string, found: string[] = []): string[] {
  const def = defOf(schema);
  const walk = (inner: unknown, suffix = '') => stringsAcceptingNul(inner, path + suffix, found);
  switch (def.type) {
    case 'string':
      if (!def.checks?.includes(NUL_CHECK) && !NUL_FREE_FORMATS.includes(def.format ?? '')) found.push(path);
      break;
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, unknown>)) walk(value, `.${key}`);
      break;
    case 'array':
      walk(def.element, '[]');
      break;
    case 'union':
      for (const option of def.options as unknown[]) walk(option);
      break;
    case 'record':
      walk(def.keyType, '{key}');
      walk(def.valueType, '{}');
      break;
    case 'pipe': // what is received is what `in` parses
      walk(def.in);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      walk(def.innerType);
      break;
  }
  return found;
}

describe('text inputs', () => {
  it('every string any procedure takes (the import format included) refuses a NUL', () => {
    const accepting = Object.entries(appRouter._def.procedures).flatMap(([name, procedure]) =>
      (procedure as unknown as { _def: { inputs: unknown[] } })._def.inputs.flatMap((input) =>
        stringsAcceptingNul(input, name),
      ),
    );
    expect(accepting).toEqual([]);
    // ...and the walk would see one that did not.
    expect(stringsAcceptingNul(z.object({ note: z.string().trim() }), 'probe')).toEqual(['probe.note']);
  });

  describe('over HTTP, from an anonymous visitor', async () => {
    const { orm } = await useTestDatabase();
    const base = await startTestServer(orm);

    it('a NUL in a mutation’s input is a 400 naming the field', async () => {
      const response = await fetch(`${base}/trpc/auth.logIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          json: { as: 'student', login: 'ada\u0000@mergington.edu', password: 'pass\u0000word' },
        }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as any;
      expect(error.json.data.fieldErrors).toEqual({
        login: ['must not contain a NUL character'],
        password: ['must not contain a NUL character'],
      });
    });

    it('a NUL in a query’s search is a 400 naming the field', async () => {
      const input = encodeURIComponent(JSON.stringify({ json: { search: 'chess\u0000club' } }));
      const response = await fetch(`${base}/trpc/activities.list?input=${input}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.json.data.fieldErrors).toEqual({
        search: ['must not contain a NUL character'],
      });
    });
  });
});
