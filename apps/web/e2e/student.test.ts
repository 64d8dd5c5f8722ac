import { describe, expect, it } from 'vitest';
import { logIn, register, screenshot, useSite } from './harness.ts';

const site = await useSite();

describe('a student', () => {
  it('registers, filters the catalogue, signs up, sees the seats drop, and withdraws', async () => {
    const page = await site.newPage();
    await register(page, 'sam.rivera@mergington.edu', 'Sam Rivera');
    await page.goto('/');
    await expect.poll(() => page.locator('.activity-card').count()).toBe(12);
    await screenshot(page, 'catalogue');

    await page.getByLabel('Category').selectOption('Sports');
    await page.getByLabel('Time').selectOption('after-school');
    await expect
      .poll(() => page.locator('.activity-card h2').allTextContents())
      .toEqual(['Basketball Team', 'Soccer Team']);
    // The filters are in the URL: the same view opens from a shared link.
    expect(new URL(page.url()).search).toBe('?time=after-school&category=Sports');
    const shared = await site.newPage();
    await shared.goto(`/${new URL(page.url()).search}`);
    await expect
      .poll(() => shared.locator('.activity-card h2').allTextContents())
      .toEqual(['Basketball Team', 'Soccer Team']);
    await expect.poll(() => shared.getByLabel('Category').inputValue()).toBe('Sports');

    const card = page.locator('.activity-card', { hasText: 'Basketball Team' });
    await expect.poll(() => card.getByTestId('seats').textContent()).toBe('13 of 15 seats left');
    await card.getByRole('link', { name: 'Basketball Team' }).click();
    await page.getByRole('heading', { level: 1, name: 'Basketball Team' }).waitFor();
    await page.getByRole('button', { name: 'Sign up for Basketball Team' }).click();
    await page.getByText('You are signed up for Basketball Team.').waitFor();
    await expect.poll(() => page.getByTestId('seats').textContent()).toBe('12 of 15 seats left');
    await screenshot(page, 'activity-signed-up');

    // Debate Team meets on Fridays from 3:30 PM, while Basketball Team is still on: allowed, with a notice.
    await page.goto('/?q=debate');
    await page.getByRole('link', { name: 'Debate Team' }).click();
    await page.getByRole('button', { name: 'Sign up for Debate Team' }).click();
    await page.getByText('You are signed up for Debate Team.').waitFor();
    await page
      .getByText('Its schedule overlaps Basketball Team (Wednesdays and Fridays, 3:15 PM - 5:00 PM).')
      .waitFor();
    await page.getByRole('button', { name: 'Withdraw from Debate Team' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw from Debate Team' }).click();
    await page.getByText('You have withdrawn from Debate Team.').waitFor();

    await page.goto('/');
    await expect
      .poll(() =>
        page.locator('.activity-card', { hasText: 'Basketball Team' }).getByTestId('seats').textContent(),
      )
      .toBe('12 of 15 seats left');

    await page.getByRole('link', { name: 'My activities' }).click();
    await page.getByText('Basketball Team').first().waitFor();
    await screenshot(page, 'my-activities');

    await page.goto('/');
    await page.getByRole('link', { name: 'Basketball Team' }).click();
    await page.getByRole('button', { name: 'Withdraw from Basketball Team' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw from Basketball Team' }).click();
    await page.getByText('You have withdrawn from Basketball Team.').waitFor();
    await expect.poll(() => page.getByTestId('seats').textContent()).toBe('13 of 15 seats left');
  });

  it('is waitlisted when an activity is full, and enrolled once someone withdraws', async () => {
    const { client: admin } = await site.asAdmin();
    const tiny = await admin.activities.create.mutate({
      name: 'Tiny Robotics',
      maxParticipants: 1,
      category: 'Technology',
    });
    const first = await site.newPage();
    const second = await site.newPage({ width: 390, height: 844 }); // a phone
    await register(first, 'ana.first@mergington.edu', 'Ana First');
    await register(second, 'ben.second@mergington.edu', 'Ben Second');

    await first.goto(`/activities/${tiny.id}`);
    await first.getByRole('button', { name: 'Sign up for Tiny Robotics' }).click();
    await first.getByText('You are signed up for Tiny Robotics.').waitFor();

    await second.goto(`/activities/${tiny.id}`);
    await expect.poll(() => second.getByTestId('seats').textContent()).toBe('Full');
    await second.getByRole('button', { name: 'Join the waitlist for Tiny Robotics' }).click();
    await second.getByText('Tiny Robotics is full: you are number 1 on the waitlist.').waitFor();
    await expect.poll(() => second.getByTestId('seats').textContent()).toBe('Full · 1 on the waitlist');
    await screenshot(second, 'waitlisted-phone');

    await first.getByRole('button', { name: 'Withdraw from Tiny Robotics' }).click();
    await first.getByRole('button', { name: 'Yes, withdraw from Tiny Robotics' }).click();
    await first.getByText('You have withdrawn from Tiny Robotics.').waitFor();

    await second.reload();
    await second.getByText('You are signed up.').waitFor();
    await expect.poll(() => second.getByTestId('seats').textContent()).toBe('Full');
  });

  it('can do it all with the keyboard alone', async () => {
    const page = await site.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').waitFor();
    const focused = () =>
      page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.id);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // "I am a student", already chosen
    await page.keyboard.press('Tab');
    await page.keyboard.type('ana.first@mergington.edu');
    await page.keyboard.press('Tab');
    await page.keyboard.type('a good password');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Log out Ana First' }).waitFor();
    // A wrong field is announced and focused: the form does not just refuse.
    await page.goto('/me');
    await page.getByLabel('Current password').focus();
    await page.keyboard.type('a good password');
    await page.keyboard.press('Tab');
    await page.keyboard.type('short');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-invalid')))
      .toBe('true');
    expect(await page.getByText('must be at least 8 characters').count()).toBe(1);
  });

  it('logs in again after a restart of the API and finds everything where it was', async () => {
    const before = await site.newPage();
    await logIn(before, 'student', 'ben.second@mergington.edu', 'a good password');
    const session = await before.context().storageState();
    await site.restartApi();
    // The session lives in the database, so the cookie still works against the restarted API.
    const after = await site.newPage({ session });
    await after.goto('/me');
    await after.getByRole('button', { name: 'Log out Ben Second' }).waitFor();
    await after.getByText('Tiny Robotics').first().waitFor();
    await after.goto('/');
    await expect
      .poll(() =>
        after.locator('.activity-card', { hasText: 'Tiny Robotics' }).getByTestId('seats').textContent(),
      )
      .toBe('Full');
  });
});
