import { describe, it } from 'vitest';
import { register, screenshot, useSite } from './harness.ts';

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

    await stale.getByRole('button', { name: 'Sign up for Chess Club' }).click();
    await stale.getByText('You are already signed up for Chess Club').waitFor();
  });
});
