import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The workspace's own ESLint config, run on snippets as if they were files of the web app and the CLI.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('../../..', import.meta.url)) });

async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((message) => message.message);
}

describe('ESLint keeps the web app and the CLI off the database side', () => {
  const forbidden = [
    "import { initORM } from '@mergington/db';",
    "import { useTestDatabase } from '@mergington/db/testing';",
    "import { MikroORM } from '@mikro-orm/postgresql';",
    "import argon2 from 'argon2';",
    "import pg from 'pg';",
    "import { startTestServer } from '@mergington/api/testing';",
  ];

  for (const file of ['apps/web/src/pages/Example.tsx', 'apps/cli/src/example.ts']) {
    it.each(forbidden)(`refuses %s in ${file}`, async (code) => {
      expect(
        await refusals(file, `${code}\nexport const used = [${code.split(/[{} ]/)[2]}];\n`),
      ).toHaveLength(1);
    });

    it(`allows the contract, the client and the API router's types in ${file}`, async () => {
      const code = [
        "import { GRADES } from '@mergington/contract';",
        "import { createClient } from '@mergington/client';",
        "import type { AppRouter } from '@mergington/api';",
        'export const used = [GRADES, createClient] as unknown as AppRouter;',
      ].join('\n');
      expect(await refusals(file, code)).toEqual([]);
    });
  }

  it('lets tests use the database side, for their databases', async () => {
    expect(
      await refusals('apps/cli/src/example.test.ts', "import pg from 'pg';\nexport const used = pg;\n"),
    ).toEqual([]);
  });
});
