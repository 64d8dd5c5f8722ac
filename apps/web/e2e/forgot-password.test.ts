import { afterAll, describe, expect, it } from 'vitest';
import { startMailServer, waitFor } from '@mergington/api/mail-server-testing';
import { createClient } from '@mergington/client';
import { register, screenshot, useSite, wcagViolations } from './harness.ts';

// A real SMTP server in this process: the API's queue sends the reset link to it, and the test opens the
// link from the email as the student would.
const mail = await startMailServer();
afterAll(() => mail.stop());
const PUBLIC_URL = 'https://activities.mergington.edu';
const site = await useSite({ SMTP_URL: mail.url, PUBLIC_URL, EMAIL_RETRY_DELAY_SECONDS: '1' });
const PHONE = { width: 390, height: 844 };

const linkMailedTo = async (email: string) => {
  const to = () => mail.mailbox.filter((m) => m.to && 'text' in m.to && m.to.text.includes(email));
  await waitFor(() => to().length > 0, 20_000, `the reset email to ${email}`);
  const href = /https:\/\/\S+/.exec(to()[0]!.text ?? '')![0];
  expect(href.startsWith(`${PUBLIC_URL}/reset-password?token=`)).toBe(true);
  const link = new URL(href);
  return `${link.pathname}${link.search}`; // on this test's own origin
};

describe('issue 20, item 10: "Forgot your password?" sends a one-time link by email', () => {
  it('a student asks for a link, opens it from the email, sets a password and is signed out elsewhere', async () => {
    const elsewhere = await site.newPage();
    await register(elsewhere, 'fay.forgot@mergington.edu', 'Fay Forgot');

    const page = await site.newPage(PHONE);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('Email').fill('fay.forgot@mergington.edu');
    expect(await wcagViolations(page)).toEqual([]);
    await screenshot(page, 'forgot-password-phone');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page
      .getByText('If an account exists for fay.forgot@mergington.edu, we sent a link to it.')
      .waitFor();

    await page.goto(await linkMailedTo('fay.forgot@mergington.edu'));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('must be at least 8 characters').waitFor();
    await page.getByLabel('New password').fill('remembered at last');
    expect(await wcagViolations(page)).toEqual([]);
    await screenshot(page, 'reset-password-phone');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password is changed, and you are signed out everywhere.').waitFor();
    const used = page.url();

    // The other browser's session ended with the reset.
    await elsewhere.reload();
    await elsewhere.getByRole('link', { name: 'Log in' }).waitFor();

    await page.getByRole('link', { name: 'Log in' }).last().click();
    await page.getByLabel('Email').fill('fay.forgot@mergington.edu');
    await page.getByLabel('Password').fill('remembered at last');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: /^Log out/ }).waitFor();

    // The link works once (asked through the API: a refused call is an error in the browser's console).
    const token = new URL(used).searchParams.get('token')!;
    await expect(
      createClient({ url: `${site.url}/trpc` }).auth.resetPassword.mutate({
        token,
        password: 'someone else',
      }),
    ).rejects.toThrow('this password reset link has expired or was used already');
  });

  it('answers the same for an address no account has, and sends nothing', async () => {
    const page = await site.newPage();
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill('no.such.student@mergington.edu');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page
      .getByText('If an account exists for no.such.student@mergington.edu, we sent a link to it.')
      .waitFor();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      mail.mailbox.filter((m) => m.to && 'text' in m.to && m.to.text.includes('no.such.student')),
    ).toEqual([]);
  });
});
