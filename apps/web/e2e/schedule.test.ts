import { describe, expect, it } from 'vitest';
import { logIn, screenshot, useSite, wcagViolations } from './harness.ts';

const site = await useSite();

describe('issue 20, item 4: the schedule typed twice', () => {
  it('a card under the Friday filter says Fridays, whatever the free text says, and the form warns', async () => {
    const { client: admin } = await site.asAdmin();
    const activity = await admin.activities.create.mutate({
      name: 'Friday Debate',
      maxParticipants: 10,
      schedule: 'Thursdays, 3:30 PM - 4:30 PM',
      scheduleDays: ['friday'],
      startTime: '15:30',
      endTime: '16:30',
    });

    const page = await site.newPage();
    await page.goto('/?day=friday');
    const card = page.locator('.activity-card', { has: page.getByRole('link', { name: 'Friday Debate' }) });
    await card.getByText('Fridays, 3:30 PM - 4:30 PM').waitFor();
    expect(await card.textContent()).not.toContain('Thursdays');
    await page.goto(`/activities/${activity.id}`);
    await page.getByRole('heading', { level: 1, name: 'Friday Debate' }).waitFor();
    expect(await page.locator('.facts').textContent()).toContain('Fridays, 3:30 PM - 4:30 PM');

    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.goto(`/activities/${activity.id}/edit`);
    const warning = page.getByTestId('schedule-mismatch');
    await warning.getByText('the text says Thursdays; the days are Fridays').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await screenshot(page, 'schedule-mismatch');

    // Corrected as it is typed: the warning goes.
    await page.getByLabel('Schedule as people say it').fill('Fridays after school, in room 12');
    await expect.poll(() => warning.count()).toBe(0);
    await page.getByLabel('Schedule as people say it').fill('Thursdays');
    await warning.waitFor();
  });
});
