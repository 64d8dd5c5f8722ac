// Issue 20, item 5: a teacher's workspace for an activity is its own Manage view, one click from the top of
// the activity's page, instead of everything below the public sections.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createClient } from '@mergington/client';
import { logIn, register, screenshot, useSite } from './harness.ts';

const site = await useSite();
const { client: admin } = await site.asAdmin();
const PHONE = { width: 390, height: 844 };
const TITLE = 'Mergington Activities';

// One seat: Maya is enrolled (and writes a review and starts a group), Walt waits.
const activity = await admin.activities.create.mutate({ name: 'Chess Masters', maxParticipants: 1 });
const MAYA = { email: 'maya.member@mergington.edu', name: 'Maya Member', password: 'a good password' };
const studentPage = await site.newPage(PHONE);
await register(studentPage, MAYA.email, MAYA.name, MAYA.password);
await admin.participants.add.mutate({ activityId: activity.id, email: MAYA.email });
const walt = await admin.students.create.mutate({
  email: 'walt.wait@mergington.edu',
  name: 'Walt Wait',
  grade: 11,
});
await admin.participants.add.mutate({ activityId: activity.id, email: walt.email });
const { token } = await createClient({ url: `${site.url}/trpc` }).auth.logIn.mutate({
  as: 'student',
  login: MAYA.email,
  password: MAYA.password,
});
const maya = createClient({ url: `${site.url}/trpc`, token: token! });
await maya.feedback.submit.mutate({ activityId: activity.id, rating: 4, review: 'Friendly and well run.' });
await maya.groups.create.mutate({ activityId: activity.id, name: 'Blue team' });
await admin.events.create.mutate({
  activityId: activity.id,
  name: 'Spring tournament',
  date: new Date('2031-04-12T14:00:00Z'),
});

/** Whether the element is on the first screen, as the page opens, without scrolling. */
async function onFirstScreen(page: Page, element: Locator) {
  const box = (await element.boundingBox())!;
  const viewport = page.viewportSize()!;
  return box.y >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
}

/** Opens the activity's public page (its picture saved as `screen`) and, from its top, the Manage view. */
async function openManage(page: Page, screen: string) {
  await page.goto(`/activities/${activity.id}`);
  await page.getByRole('heading', { level: 1, name: activity.name }).waitFor();
  const manage = page.getByRole('link', { name: `Manage ${activity.name}`, exact: true });
  expect(await onFirstScreen(page, manage), 'Manage is on the first screen').toBe(true);
  // The public page carries none of the workspace.
  expect(await page.getByRole('table', { name: `Participants of ${activity.name}` }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
  await screenshot(page, screen);
  await manage.click();
  await page.getByRole('heading', { level: 1, name: `Manage ${activity.name}` }).waitFor();
}

const sections = (page: Page) => page.getByRole('navigation', { name: 'Manage sections' });

describe('issue 20, item 5: the Manage view', () => {
  it('a teacher at a desktop opens it from the top of the activity page and goes through its sections', async () => {
    const page = await site.newPage();
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await openManage(page, 'activity-teacher');
    expect(await page.title()).toBe(`Participants · Manage ${activity.name} · ${TITLE}`);
    const participants = page.getByRole('table', { name: `Participants of ${activity.name}` });
    const cells = async (name: string) =>
      participants
        .getByRole('row', { name: new RegExp(name) })
        .getByRole('cell')
        .allTextContents();
    await participants.waitFor();
    expect((await cells(MAYA.name)).slice(0, 3)).toEqual([MAYA.email, '10', 'Enrolled']);
    expect((await cells(walt.name)).slice(0, 3)).toEqual([walt.email, '11', 'Waitlist, number 1']);
    await page.getByText('1 of 1 seats taken, 1 on the waitlist.').waitFor();
    await page.getByRole('link', { name: `Edit ${activity.name}` }).waitFor();
    expect(
      await sections(page).getByRole('link', { name: 'Participants' }).getAttribute('aria-current'),
    ).toBe('page');
    await screenshot(page, 'manage-participants');

    const open = async (label: string, heading: string) => {
      await sections(page).getByRole('link', { name: label }).click();
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      expect(await page.title()).toBe(`${label} · Manage ${activity.name} · ${TITLE}`);
      expect(await sections(page).getByRole('link', { name: label }).getAttribute('aria-current')).toBe(
        'page',
      );
      // One section at a time: the participants are not below the others any more.
      expect(await participants.count()).toBe(0);
    };

    await open('Attendance', 'Attendance');
    await page.getByRole('link', { name: 'Meetings and roll call' }).waitFor();
    await screenshot(page, 'manage-attendance');

    await open('Events', 'Events');
    await page.getByRole('heading', { level: 3, name: /^Spring tournament/ }).waitFor();
    await screenshot(page, 'manage-events');

    await open('Groups', 'Groups');
    await page.getByRole('heading', { level: 3, name: 'Blue team' }).waitFor();
    await page.getByText('Maya Member (leader)').waitFor();
    await screenshot(page, 'manage-groups');

    await open('Feedback', 'Feedback');
    await page.getByText('Friendly and well run.').waitFor();
    await page.getByRole('button', { name: `Hide the review by ${MAYA.name}` }).click();
    await page.getByText('Hidden', { exact: true }).waitFor();
    await screenshot(page, 'manage-feedback');

    await open('News', `News about ${activity.name}`);
    await page.getByText('No news yet.').waitFor();
    await page.getByText(`Write a news item about ${activity.name}`).click();
    await page.getByLabel('Title').fill('Tournament sign-up open');
    await page.getByLabel('Text').fill('Tell us by Friday if you play on April 12.');
    await page.getByRole('button', { name: 'Post news' }).click();
    await page.getByRole('heading', { level: 3, name: 'Tournament sign-up open' }).waitFor();
    await screenshot(page, 'manage-news');
    const { items } = await admin.news.list.query({ activityId: activity.id });
    expect(items.map((item) => item.title)).toEqual(['Tournament sign-up open']);

    // Back on the public page: the news is there, the hidden review is not.
    await page.getByRole('link', { name: `← ${activity.name}` }).click();
    await page.getByRole('heading', { level: 3, name: 'Tournament sign-up open' }).waitFor();
    await page.getByText('No reviews yet.').waitFor();
  });

  it('a teacher on a phone opens it in one tap from the top and sees the participants and the waitlist', async () => {
    const page = await site.newPage(PHONE);
    await logIn(page, 'teacher', 'mrodriguez', 'art123');
    await openManage(page, 'activity-teacher-phone');
    const waiting = page.getByRole('row', { name: /Walt Wait/ });
    await waiting.getByText('Waitlist, number 1').waitFor();
    await page
      .getByRole('row', { name: /Maya Member/ })
      .getByText('Enrolled')
      .waitFor();
    // Every section's link fits across the phone: none is cut off, and the page does not scroll sideways.
    for (const label of ['Participants', 'Attendance', 'Events', 'Groups', 'Feedback', 'News'])
      expect(await onFirstScreen(page, sections(page).getByRole('link', { name: label })), label).toBe(true);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBe(0);
    await screenshot(page, 'manage-participants-phone');
    await sections(page).getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { level: 3, name: /^Spring tournament/ }).waitFor();
    await screenshot(page, 'manage-events-phone');
  });

  it('a student sees no Manage link, and the Manage view is not open to them; a visitor is asked to log in', async () => {
    await studentPage.goto(`/activities/${activity.id}`);
    await studentPage.getByText('You are signed up.').waitFor();
    expect(await studentPage.getByRole('link', { name: /^Manage/ }).count()).toBe(0);
    for (const path of ['manage', 'manage/events']) {
      await studentPage.goto(`/activities/${activity.id}/${path}`);
      await studentPage.getByRole('heading', { level: 1, name: 'Not open to your account' }).waitFor();
      await studentPage.getByText(`You are signed in as ${MAYA.name}, a student`).waitFor();
      expect(await studentPage.getByText('Friendly and well run.').count()).toBe(0);
    }

    const visitor = await site.newPage();
    await visitor.goto(`/activities/${activity.id}`);
    await visitor.getByRole('heading', { level: 1, name: activity.name }).waitFor();
    await visitor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' }).waitFor();
    expect(await visitor.getByRole('link', { name: /^Manage/ }).count()).toBe(0);
    await visitor.goto(`/activities/${activity.id}/manage`);
    await visitor.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(new URL(visitor.url()).searchParams.get('next')).toBe(`/activities/${activity.id}/manage`);
  });
});
