import { describe, expect, it } from 'vitest';
import { register, screenshot, useSite } from './harness.ts';

const site = await useSite();

describe('the notification centre', () => {
  it('counts the unread in the header, lists them, marks one and then all read; email settings stick', async () => {
    const { client: admin } = await site.asAdmin();
    const activity = await admin.activities.create.mutate({
      name: 'Tiny Chess',
      maxParticipants: 1,
      category: 'Academic',
    });
    await admin.participants.addNewStudent.mutate({
      activityId: activity.id,
      email: 'seat.holder@mergington.edu',
      name: 'Seat Holder',
      grade: null,
    });

    const page = await site.newPage();
    await register(page, 'nia.wait@mergington.edu', 'Nia Wait');
    await expect.poll(() => page.getByTestId('unread-count').count()).toBe(0);
    await page.goto(`/activities/${activity.id}`);
    await page.getByRole('button', { name: /Tiny Chess/ }).click();
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1 unread');

    // The seat frees up: the waiting student is promoted and told so.
    await admin.participants.remove.mutate({ activityId: activity.id, email: 'seat.holder@mergington.edu' });
    await page.reload();
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('2 unread');

    await page.getByRole('link', { name: /^Notifications/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await expect
      .poll(() => page.locator('.notifications h2').allTextContents())
      .toEqual(['Unread: A seat in Tiny Chess is yours', 'Unread: Waitlisted for Tiny Chess']);
    await expect
      .poll(() => page.locator('.notifications li').first().textContent())
      .toContain('you are now enrolled');
    await screenshot(page, 'notifications');

    await page.getByRole('button', { name: 'Mark read Waitlisted for Tiny Chess' }).click();
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1 unread');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => page.getByTestId('unread-count').count()).toBe(0);
    await expect
      .poll(() => page.locator('.notifications h2').allTextContents())
      .toEqual(['A seat in Tiny Chess is yours', 'Waitlisted for Tiny Chess']);

    // The notification's link opens the activity.
    await page.getByRole('link', { name: 'A seat in Tiny Chess is yours' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tiny Chess' }).waitFor();

    await page.goto('/notifications/settings');
    const news = page.getByLabel('News in my activities');
    await expect.poll(() => news.isChecked()).toBe(false);
    // The box shows what the server saved: checked once the change is stored.
    await news.click();
    await expect.poll(() => news.isChecked()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByLabel('News in my activities').isChecked()).toBe(true);
    await expect.poll(() => page.getByLabel(/Payment overdue/).isDisabled()).toBe(true);
    await screenshot(page, 'notification-settings');
  });

  it("shows a promotion from the waitlist on the student's page, with its date, until they dismiss it", async () => {
    const { client: admin } = await site.asAdmin();
    const activity = await admin.activities.create.mutate({ name: 'One-seat Chess', maxParticipants: 1 });
    await admin.participants.addNewStudent.mutate({
      activityId: activity.id,
      email: 'chess.holder@mergington.edu',
      name: 'Chess Holder',
      grade: null,
    });
    const page = await site.newPage();
    await register(page, 'pia.promoted@mergington.edu', 'Pia Promoted');
    await page.goto(`/activities/${activity.id}`);
    await page.getByRole('button', { name: /One-seat Chess/ }).click();
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1 unread');
    await page.goto('/me');
    await page.getByRole('heading', { level: 2, name: 'Activities I signed up for' }).waitFor();
    // The promotions come in the same batched request as the signups.
    await page.getByText(/^Number 1 on the waitlist since/).waitFor();
    expect(await page.getByText(/^You got a seat/).count()).toBe(0);

    await admin.participants.remove.mutate({ activityId: activity.id, email: 'chess.holder@mergington.edu' });
    await page.reload();
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date());
    const promotion = page.getByRole('status').filter({ hasText: 'You got a seat in One-seat Chess on' });
    await expect.poll(() => promotion.textContent()).toContain(today);
    await screenshot(page, 'my-page-promotion');
    // Still there on the next visit: it is seen only when dismissed.
    await page.reload();
    await promotion.waitFor();
    await promotion.getByRole('button', { name: 'Dismiss the seat in One-seat Chess' }).click();
    await page.getByText('Dismissed. The seat in One-seat Chess stays in your notifications.').waitFor();
    expect(await promotion.count()).toBe(0);
    // Dismissing marked it read in the notification centre too.
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1 unread');
    await page.reload();
    await page.getByText(/^Enrolled since/).waitFor();
    expect(await page.getByText(/^You got a seat/).count()).toBe(0);
  });

  it('shows admins the emails that failed after the last retry, and sends one again', async () => {
    const { client: admin } = await site.asAdmin();
    const activity = await admin.activities.create.mutate({ name: 'Full Debate', maxParticipants: 1 });
    await admin.participants.addNewStudent.mutate({
      activityId: activity.id,
      email: 'first.debater@mergington.edu',
      name: 'First Debater',
      grade: null,
    });
    await admin.participants.addNewStudent.mutate({
      activityId: activity.id,
      email: 'omar.late@mergington.edu',
      name: 'Omar Late',
      grade: null,
    });
    // No SMTP server here: as the queue does after its last retry, the email is marked failed.
    await site.orm.em
      .fork()
      .getConnection()
      .execute(
        `update notification set email_status = 'failed', email_attempts = 11, email_error = 'connect ECONNREFUSED'
          where student_id = (select id from student where email = 'omar.late@mergington.edu')`,
      );

    const page = await site.newPage();
    await page.goto('/login');
    await page.getByLabel('a teacher or admin').check();
    await page.getByLabel('Email or username').fill('principal');
    await page.getByLabel('Password').fill('admin789');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Failed emails' }).click();
    const row = page.getByRole('row', { name: /omar\.late@mergington\.edu/ });
    await expect.poll(() => row.textContent()).toContain('connect ECONNREFUSED');
    await screenshot(page, 'failed-emails');
    await row.getByRole('button', { name: /Send again/ }).click();
    await page.getByText('No failed emails.').waitFor();
  });
});
