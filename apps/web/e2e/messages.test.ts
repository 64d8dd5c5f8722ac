// Issue 20, item 6 (the web app's own part): messages for people, not for programmers.
import { describe, expect, it } from 'vitest';
import { register, screenshot, useSite } from './harness.ts';

const site = await useSite();
const { client: admin } = await site.asAdmin();

// The pages below that meet refused or failed requests on purpose have their own browser profile, outside
// the harness's pages: the browser logs each such request as a console error, which is the point here.
const openProfile = () => site.browser.newContext({ baseURL: site.url });

describe('issue 20, item 6: messages for people', () => {
  it("a field's error goes as soon as the field is right, while the others' stay", async () => {
    const page = await site.newPage({ width: 390, height: 844 });
    await page.goto('/register');
    await page.getByRole('button', { name: 'Register' }).click();
    const email = page.getByLabel('School email');
    const name = page.getByLabel('Full name');
    const errorOf = (field: typeof email) =>
      field.evaluate((input) => {
        const id = input
          .getAttribute('aria-describedby')
          ?.split(' ')
          .find((i) => i.endsWith('-error'));
        return id ? document.getElementById(id)?.textContent : undefined;
      });
    await expect.poll(() => errorOf(email)).toBe('must be an email address');
    expect(await errorOf(name)).toBe('is required');
    const password = page.getByLabel('Password');
    expect(await errorOf(password)).toBe('must be at least 8 characters');

    // The name made right loses its error; the email, still wrong, keeps its own.
    await email.fill('lena.park');
    await name.fill('Lena Park');
    await expect.poll(() => errorOf(name)).toBeUndefined();
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    expect(await errorOf(email)).toBe('must be an email address');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'register-errors-phone');
    await email.fill('lena.park@mergington.edu');
    await expect.poll(() => errorOf(email)).toBeUndefined();

    // A field made wrong again is not told so while it is typed (the next submit says it).
    await email.fill('lena');
    await password.fill('a good password');
    await expect.poll(() => errorOf(password)).toBeUndefined();
    expect(await errorOf(email)).toBeUndefined();
  });

  it("a request that gets no answer says we can't reach the school's server, not 'Failed to fetch'", async () => {
    const context = await openProfile();
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill('nobody@mergington.edu');
    await page.getByLabel('Password').fill('a good password');
    await context.route('**/trpc/**', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .getByText("We can't reach the school's server. Check your connection, then try again.")
      .waitFor();
    expect(await page.getByText('Failed to fetch').count()).toBe(0);
    await screenshot(page, 'login-unreachable');
    await context.close();
  });

  it('a session that ended is said so, with a link to log in again, and the header follows; a wrong password is not that', async () => {
    const activity = await admin.activities.create.mutate({ name: 'Session Club', maxParticipants: 5 });
    const context = await openProfile();
    const page = await context.newPage();
    await register(page, 'sam.session@mergington.edu', 'Sam Session');
    await page.goto(`/activities/${activity.id}`);
    const signUp = page.getByRole('button', { name: 'Sign up for Session Club' });
    await signUp.waitFor();
    await context.clearCookies(); // the session ends, as when it expires: the page still shows Sam
    await signUp.click();
    const alert = page.getByRole('alert');
    await alert.getByText('Your session has ended.').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Log out Sam Session' }).count()).toBe(0);
    await screenshot(page, 'session-ended');
    await alert.getByRole('link', { name: 'Log in again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await page.getByLabel('Email').fill('sam.session@mergington.edu');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    // The API's "wrong login or password", as a sentence; no session had ended here.
    await page.getByRole('alert').getByText('Wrong login or password.', { exact: true }).waitFor();
    await page.getByLabel('Password').fill('a good password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Sign up for Session Club' }).click();
    await page.getByText('You are signed up for Session Club.').waitFor();
    await context.close();
  });

  it("a save says so beside the form: a student's new group", async () => {
    const activity = await admin.activities.create.mutate({ name: 'Group Club', maxParticipants: 5 });
    const page = await site.newPage({ width: 390, height: 844 });
    await register(page, 'gia.group@mergington.edu', 'Gia Group');
    await admin.participants.add.mutate({ activityId: activity.id, email: 'gia.group@mergington.edu' });
    await page.goto(`/activities/${activity.id}`);
    await page.getByLabel("New group's name").fill('Blue team');
    await page.getByRole('button', { name: 'Create group' }).click();
    const saved = page
      .getByRole('status')
      .filter({ hasText: 'You created the group Blue team and lead it.' });
    await saved.waitFor();
    expect(await saved.getAttribute('class')).toContain('notice');
    await screenshot(page, 'group-created-phone');
  });
});
