import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestStudent, createTestTeacher, startTestServer } from '@mergington/api/testing';
import { seedSampleData } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { main } from './main.ts';

const { orm } = await useTestDatabase();
await seedSampleData(orm);
const url = `${await startTestServer(orm)}/trpc`;
const teacher = await createTestTeacher(orm);
const dir = mkdtempSync(join(tmpdir(), 'mergington-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const lines: string[] = [];
  const code = await main(
    argv,
    (line) => lines.push(line),
    (line) => lines.push(line),
  );
  return { code, output: lines.join('\n') };
}

describe('mergington export', () => {
  it('writes a roster as CSV, the same rows the database holds, with the BOM Excel needs', async () => {
    const file = join(dir, 'rosters.csv');
    const { code, output } = await run(
      'export',
      'rosters',
      '-o',
      file,
      '--url',
      url,
      '--token',
      teacher.token,
    );
    expect({ code, output }).toEqual({ code: 0, output: `exported rosters as csv to ${file}` });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFFActivity,Status,')).toBe(true);
    const [total] = await orm.em
      .fork()
      .execute<{ count: string }[]>(`select count(*) from activity_participant`);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(Number(total!.count) + 1);
  });

  it('takes the format from the file name and the filters as options', async () => {
    const file = join(dir, 'ninth-grade.xlsx');
    const { code } = await run(
      'export',
      'no-activity',
      '--grade',
      '9',
      '-o',
      file,
      '--url',
      url,
      '--token',
      teacher.token,
    );
    expect(code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets[0]!.getRow(1).getCell(2).value).toBe('Name');
  });

  it('refuses a bad report or filter before calling the API, and a student’s account, leaving no file', async () => {
    const bad = await run('export', 'secrets', '--url', url, '--token', teacher.token);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('report:');
    const wrongFilter = await run(
      'export',
      'rosters',
      '--grade',
      '9',
      '--url',
      url,
      '--token',
      teacher.token,
    );
    expect(wrongFilter).toMatchObject({ code: 2, output: expect.stringContaining('grade: is not a filter') });
    const pupil = await createTestStudent(orm);
    const file = join(dir, 'refused.csv');
    const refused = await run('export', 'rosters', '-o', file, '--url', url, '--token', pupil.token);
    expect(refused).toMatchObject({ code: 1, output: expect.stringContaining('HTTP 403') });
    // One session token in 64 starts with a dash: it is still read as the token, not as an option.
    const dashed = await run('export', 'rosters', '-o', file, '--url', url, '--token', '-no-such-session');
    expect(dashed).toMatchObject({ code: 1, output: expect.stringContaining('HTTP 401') });
    expect(readdirSync(dir).filter((name) => name.startsWith('refused'))).toEqual([]);
  });
});
