import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { logIn, screenshot, useSite } from './harness.ts';

const site = await useSite();

describe('the reports screen', () => {
  it('a teacher downloads the roster the screen chose and reads who joined it, and by whom', async () => {
    const { client } = await site.asAdmin();
    const chess = (await client.activities.list.query({ search: 'Chess Club' })).items[0]!;
    await client.participants.addNewStudent.mutate({
      activityId: chess.id,
      email: 'rook.newcomer@mergington.edu',
      name: 'Rook Newcomer',
      grade: 10,
    });

    const teacher = await site.newPage();
    await logIn(teacher, 'teacher', 'mrodriguez', 'art123');
    await teacher.getByRole('link', { name: 'Reports' }).click();
    await teacher.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await teacher.getByLabel('Activity', { exact: true }).first().selectOption({ label: 'Chess Club' });
    const downloading = teacher.waitForEvent('download');
    await teacher.getByRole('link', { name: 'Download CSV' }).click();
    const csv = await readFile((await (await downloading).path())!, 'utf8');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('\uFEFFActivity,Status,Waitlist position,Student,Email,Grade,Signed up at');
    expect(lines.slice(1).every((line) => line.startsWith('Chess Club,'))).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',')[4])).toContain('rook.newcomer@mergington.edu');

    // A filter the report does not take is not offered; a bad one refuses the download, saying why.
    await teacher.getByLabel('Report').selectOption({ label: 'Payments, with totals per status' });
    await teacher.getByLabel('From (day)').fill('2026-05-01');
    await teacher.getByLabel('To (day)').fill('2026-04-01');
    await teacher.getByText('must not be before from').waitFor();
    expect(await teacher.getByRole('link', { name: 'Download CSV' }).count()).toBe(0);

    const history = teacher.locator('section', { hasText: 'Roster history' });
    await history.getByLabel('Activity').selectOption({ label: 'Chess Club' });
    const row = history.getByRole('row', { name: /Rook Newcomer/ });
    await expect.poll(() => row.textContent()).toContain('Enrolled');
    expect(await row.textContent()).toContain('Principal');
    expect(await teacher.getByRole('heading', { name: 'Audit trail' }).count()).toBe(0);
    await screenshot(teacher, 'reports');
  });

  it('an admin browses the audit trail by table', async () => {
    const admin = await site.newPage();
    await logIn(admin, 'teacher', 'principal', 'admin789');
    await admin.goto('/reports');
    const trail = admin.locator('section', { hasText: 'Audit trail' });
    await trail.getByLabel('Table').selectOption({ label: 'Student' });
    const row = trail.getByRole('row', { name: /rook\.newcomer@mergington\.edu/ });
    await expect.poll(() => row.textContent()).toContain('Student');
    expect(await row.textContent()).toContain('added');
    await screenshot(admin, 'reports-audit');
  });
});
