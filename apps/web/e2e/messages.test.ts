import { describe, expect, it } from 'vitest';
import { logIn, register, screenshot, useSite } from './harness.ts';

const site = await useSite();

describe('issue 20, item 6: messages for people', () => {
  it('a failed login says which kind of account it tried, and points to the other', async () => {
    const page = await site.newPage({ refusalsExpected: true });
    await page.goto('/login');
    // A teacher who left "a student" chosen.
    await page.getByLabel('Email').fill('mrodriguez@mergington.edu');
    await page.getByLabel('Password').fill('art123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByText(
        'Wrong email or password for a student account. Teachers and admins: choose “a teacher or admin”.',
      )
      .waitFor();
    await screenshot(page, 'login-wrong-kind');
    await page.getByLabel('a teacher or admin').check();
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: /^Log out/ }).waitFor();
  });

  it('names the student, not an id: a page left open signs up again, and is told so in words', async () => {
    const first = await site.newPage();
    await register(first, 'mia.messages@mergington.edu', 'Mia Messages');
    const stale = await site.newPage({
      refusalsExpected: true,
      session: await first.context().storageState(),
    });
    await stale.goto('/?q=chess');
    await stale.getByRole('link', { name: 'Chess Club' }).click();
    await stale.getByRole('button', { name: 'Sign up for Chess Club' }).waitFor();

    await first.goto('/?q=chess');
    await first.getByRole('link', { name: 'Chess Club' }).click();
    await first.getByRole('button', { name: 'Sign up for Chess Club' }).click();
    await first.getByText('You are signed up for Chess Club.').waitFor();
    // One confirmation, not the notice and the standing both.
    await first.getByRole('button', { name: 'Withdraw from Chess Club' }).waitFor();
    expect(await first.getByText(/^You are signed up/).count()).toBe(1);

    await stale.getByRole('button', { name: 'Sign up for Chess Club' }).click();
    await stale.getByText('You are already signed up for Chess Club').waitFor();
  });

  it('a session that ended under an open page: "Log in again" back to that page, and the header says so', async () => {
    const page = await site.newPage({ refusalsExpected: true });
    await register(page, 'lea.logout@mergington.edu', 'Lea Logout');
    await page.goto('/?q=chess');
    await page.getByRole('link', { name: 'Chess Club' }).click();
    const activityPath = new URL(page.url()).pathname;
    // Logged out in another tab of the same browser (the same session).
    const other = await site.newPage({ session: await page.context().storageState() });
    await other.goto('/');
    await other.getByRole('button', { name: 'Log out Lea Logout' }).click();
    await other.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    // Logging out on purpose is no news: that tab says nothing of an ended session.
    expect(await other.getByText('Your session has ended.').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign up for Chess Club' }).click();
    await page.getByText('Your session has ended.').waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    await screenshot(page, 'session-ended');
    await page.getByRole('link', { name: 'Log in again' }).click();
    await page.getByLabel('Email').fill('lea.logout@mergington.edu');
    await page.getByLabel('Password').fill('a good password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === activityPath);
    await page.getByRole('button', { name: 'Sign up for Chess Club' }).click();
    await page.getByText('You are signed up for Chess Club.').waitFor();
  });

  it("says when the school's server cannot be reached, and clears a field's error once the field is valid", async () => {
    const page = await site.newPage({ refusalsExpected: true });
    await page.goto('/register');
    await page.getByRole('button', { name: 'Register' }).click();
    const email = page.getByLabel('School email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    await page
      .getByText('must be an email address')
      .or(page.getByText('is required').first())
      .first()
      .waitFor();
    await email.fill('nora.network@mergington.edu');
    // Valid now: its error goes before any new submit; the other fields keep theirs.
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe(null);
    await expect.poll(() => page.getByLabel('Full name').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Full name').fill('Nora Network');
    await page.getByLabel('Grade').selectOption('10');
    await page.getByLabel('Password').fill('a good password');
    await page.route('**/trpc/**', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Register' }).click();
    await page
      .getByText("We can't reach the school's server. Check your connection and try again.")
      .waitFor();
    await screenshot(page, 'server-unreachable');
  });

  it('a save whose result shows elsewhere says so: a moved meeting, a corrected payment', async () => {
    const { client: admin } = await site.asAdmin();
    const activity = await admin.activities.create.mutate({ name: 'Saved Sayers', maxParticipants: 5 });
    const student = await admin.students.create.mutate({
      email: 'sam.saved@mergington.edu',
      name: 'Sam Saved',
      grade: 10,
    });
    await admin.participants.add.mutate({ activityId: activity.id, email: student.email });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await admin.meetings.add.mutate({
      activityId: activity.id,
      date: tomorrow,
      startTime: '15:00',
      endTime: '16:00',
    });
    await admin.payments.create.mutate({ studentId: student.id, activityId: activity.id, amountCents: 1500 });

    const page = await site.newPage();
    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.goto(`/activities/${activity.id}/meetings`);
    await page.getByText(/^Move/).first().click();
    const move = page.locator('details[open]');
    await move.getByLabel('Starts at').fill('16:00');
    await move.getByLabel('Ends at').fill('17:00');
    await move.getByRole('button', { name: 'Move meeting' }).click();
    await page
      .getByRole('status')
      .getByText(/is moved to .*, 16:00–17:00\.$/)
      .waitFor();

    await page.goto(`/payments?activity=${activity.id}`);
    const row = page.getByRole('row', { name: /^Sam Saved/ });
    await row.getByRole('button', { name: /^Correct/ }).click();
    const correction = page.getByRole('form', { name: /^Correct Sam Saved/ });
    await correction.getByLabel('Amount').fill('20.00');
    await correction.getByRole('button', { name: 'Save correction' }).click();
    await page
      .getByRole('status')
      .getByText("The correction of Sam Saved's $20.00 for Saved Sayers is saved.")
      .waitFor();
  });
});
