import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logIn, register, screenshot, useSite } from './harness.ts';

const site = await useSite();
const { client: admin } = await site.asAdmin();

// A round open from two days ago to two days ahead, as a datetime-local field takes it (school time).
const day = (offsetDays: number) =>
  `${new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)}T08:00`;
const ROUND = 'Winter clubs';
const KIRA = { email: 'kira.jones@mergington.edu', name: 'Kira Jones' };
const OMAR = { email: 'omar.haddad@mergington.edu', name: 'Omar Haddad' };
// One seat: both students rank it first, so exactly one of them gets it.
await admin.activities.create.mutate({ name: 'Robotics Lab', maxParticipants: 1 });

const ranking = (page: Page) =>
  page.getByRole('list', { name: 'Your ranking, best first' }).locator('.ranking-name').allTextContents();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

describe('signup rounds in the browser', () => {
  it('an admin creates a lottery round with its activities, limits and minimums, then edits it', async () => {
    const page = await site.newPage();
    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.getByRole('link', { name: 'Rounds' }).click();
    await page.getByRole('heading', { level: 1, name: 'Signup rounds' }).waitFor();
    await page.getByRole('button', { name: 'New round' }).click();
    await page.getByLabel('Name', { exact: true }).fill(ROUND);
    await page.getByLabel('Mode', { exact: true }).selectOption({ label: 'Ranked lottery' });
    // Closing before opening is refused by the API's own schema before anything is sent.
    await page.getByLabel('Opens at', { exact: true }).fill(day(2));
    await page.getByLabel('Closes at', { exact: true }).fill(day(-2));
    await page.getByRole('button', { name: 'Create the round' }).click();
    await page.getByText('must be after the opening time').waitFor();
    await page.getByLabel('Opens at', { exact: true }).fill(day(-2));
    await page.getByLabel('Closes at', { exact: true }).fill(day(2));
    await page.getByLabel('Most activities per student (optional)').fill('1');
    await page.getByLabel('Choices a student may rank', { exact: true }).fill('3');
    for (const name of ['Robotics Lab', 'Art Club', 'Math Club'])
      await page.getByLabel(`${name} is in the round`).check();
    await page.getByLabel('Minimum enrolment of Math Club (optional)').fill('6');
    await screenshot(page, 'rounds-new');
    await page.getByRole('button', { name: 'Create the round' }).click();
    const row = page.getByRole('row', { name: new RegExp(`^${ROUND}`) });
    await row.getByText('Open').waitFor();
    await page.getByRole('heading', { name: `Edit ${ROUND}` }).waitFor();
    // Said above the form that replaced the new round's, and given the focus (read out).
    const created = page.getByRole('status').filter({ hasText: `${ROUND} is created.` });
    await created.waitFor();
    expect(await created.evaluate((notice) => notice === document.activeElement)).toBe(true);

    await page.getByLabel('Choices a student may rank', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Save the round' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${ROUND} is saved.` })
      .waitFor();
    await expect.poll(async () => (await admin.rounds.list.query())[0]?.maxChoices).toBe(4);
    const [round] = await admin.rounds.list.query();
    expect(round).toMatchObject({ name: ROUND, mode: 'lottery', maxPerStudent: 1, phase: 'open' });
    expect(round!.activities.map((activity) => [activity.name, activity.minParticipants])).toEqual(
      expect.arrayContaining([
        ['Robotics Lab', null],
        ['Art Club', null],
        ['Math Club', 6],
      ]),
    );
  });

  it('two students rank their choices: one with the keyboard only, one with the mouse', async () => {
    const kira = await site.newPage();
    await register(kira, KIRA.email, KIRA.name);
    await kira.getByRole('link', { name: 'Signup rounds' }).click();
    await kira.getByRole('heading', { level: 2, name: ROUND }).waitFor();
    // Keyboard: focus a button and press Enter or Space, as Tab would reach it.
    await kira.getByRole('button', { name: 'Add Art Club' }).focus();
    await kira.keyboard.press('Enter');
    await kira.getByRole('button', { name: 'Add Robotics Lab' }).focus();
    await kira.keyboard.press('Enter');
    expect(await ranking(kira)).toEqual(['Art Club', 'Robotics Lab']);
    await kira.getByRole('button', { name: 'Move up Robotics Lab' }).focus();
    await kira.keyboard.press('Space');
    expect(await ranking(kira)).toEqual(['Robotics Lab', 'Art Club']);
    // At the top it has no Move up: the focus stays with the choice, on its Move down; the move is read out.
    expect(await focused(kira)).toBe('Move down Robotics Lab');
    await kira.getByText('Robotics Lab moved to 1st of 2.').waitFor({ state: 'attached' });
    await kira.getByRole('button', { name: 'Save my ranking' }).focus();
    await kira.keyboard.press('Enter');
    await kira.getByText('Your ranking is saved.').waitFor();
    await screenshot(kira, 'rounds-ranking');

    const omar = await site.newPage();
    await register(omar, OMAR.email, OMAR.name);
    await omar.goto('/rounds');
    for (const name of ['Math Club', 'Art Club', 'Robotics Lab'])
      await omar.getByRole('button', { name: `Add ${name}` }).click();
    await omar.getByRole('button', { name: 'Move up Robotics Lab' }).click();
    await omar.getByRole('button', { name: 'Move up Robotics Lab' }).click();
    await omar.getByRole('button', { name: 'Move down Math Club' }).click();
    expect(await ranking(omar)).toEqual(['Robotics Lab', 'Art Club', 'Math Club']);
    await omar.getByRole('button', { name: 'Remove Art Club' }).click();
    await omar.getByRole('button', { name: 'Save my ranking' }).click();
    await omar.getByText('Your ranking is saved.').waitFor();

    // What was saved is what the next visit shows.
    await omar.reload();
    await expect.poll(() => ranking(omar)).toEqual(['Robotics Lab', 'Math Club']);
    await kira.reload();
    await expect.poll(() => ranking(kira)).toEqual(['Robotics Lab', 'Art Club']);
  });

  it('the admin previews, draws again and publishes; the students see their results and why', async () => {
    const page = await site.newPage();
    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.goto('/admin/rounds');
    await page.getByRole('button', { name: `Manage ${ROUND}` }).click();
    await page.getByRole('button', { name: 'Preview an allocation' }).click();
    const statistics = page.getByRole('table', { name: 'Allocation statistics' });
    await statistics.getByRole('row', { name: 'Students who ranked 2' }).waitFor();
    await statistics.getByRole('row', { name: 'Got their first choice 50%' }).waitFor();
    await statistics.getByRole('row', { name: 'Got one of their choices 100%' }).waitFor();
    const fill = page.getByRole('table', { name: 'Fill per activity' }).first();
    await fill.getByRole('row', { name: /^Robotics Lab 1 1 [01] 2 –$/ }).waitFor();
    await page.getByRole('img', { name: /^Seats taken per activity in this allocation/ }).waitFor();
    const firstSeed = await page.getByRole('heading', { name: /^Preview of seed/ }).textContent();
    await page.getByRole('button', { name: 'Draw again' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: /^Preview of seed/ }).textContent())
      .not.toBe(firstSeed);
    await screenshot(page, 'rounds-preview');
    await page.getByRole('button', { name: /^Publish/ }).click();
    await page.getByRole('button', { name: /^Yes, publish/ }).click();
    await page.getByText(/^Published .* students see their results/).waitFor();
    await page.getByRole('heading', { name: 'The published allocation' }).waitFor();
    expect(await page.getByRole('button', { name: 'Draw again' }).count()).toBe(0);

    // Whoever came second in the draw lost Robotics Lab and got their second choice.
    const results: Record<string, string[]> = {};
    for (const student of [KIRA, OMAR]) {
      const mine = await site.newPage();
      await logIn(mine, 'student', student.email, 'a good password');
      await mine.goto('/rounds');
      await mine.getByRole('heading', { name: 'Your results' }).waitFor();
      await mine.getByText(/^You were (1st|2nd) of 2 in the draw\.$/).waitFor();
      results[student.email] = await mine
        .getByRole('list', { name: 'Why, choice by choice' })
        .locator('li')
        .allTextContents();
      if (student === KIRA) await screenshot(mine, 'rounds-results');
      // The publication told them so, in the notification centre.
      const got = /^You got (.+?), your/.exec(
        results[student.email]!.find((line) => line.startsWith('You got'))!,
      )![1];
      await mine.getByRole('link', { name: /^Notifications/ }).click();
      await expect
        .poll(() => mine.locator('.notifications h2').allTextContents())
        .toEqual([`Unread: ${ROUND}: you have a place in ${got}`]);
      await expect
        .poll(() => mine.locator('.notifications li').first().textContent())
        .toContain(`The results of ${ROUND} are out: you have a place in ${got}.`);
    }
    const all = Object.values(results).flat();
    expect(all.filter((line) => line.startsWith('You got Robotics Lab, your 1st choice'))).toHaveLength(1);
    expect(
      all.filter((line) => /^Robotics Lab was full when your turn came \(2nd of 2\)/.test(line)),
    ).toHaveLength(1);
    const omarLost = results[OMAR.email]![0]!.startsWith('Robotics Lab was full');
    expect(results[omarLost ? OMAR.email : KIRA.email]![1]).toMatch(
      omarLost ? /^You got Math Club, your 2nd choice/ : /^You got Art Club, your 2nd choice/,
    );

    // The admin sees the same why for a student, and cancels Math Club, under its minimum of 6.
    await page.getByLabel('Search by name or email').fill('omar');
    const picker = page.getByRole('combobox', { name: 'Student', exact: true });
    await expect.poll(() => picker.locator('option').count()).toBe(2);
    await picker.selectOption({ label: `${OMAR.name} (${OMAR.email}, grade 10)` });
    await page.getByRole('button', { name: 'Show why' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Why, choice by choice' }).locator('li').allTextContents())
      .toEqual(results[OMAR.email]);
    await page.getByRole('button', { name: 'Cancel activity Math Club' }).click();
    await page.getByRole('button', { name: /^Yes, cancel activity Math Club/ }).click();
    await page.getByText(/^Math Club is cancelled: of its \d+ students/).waitFor();
    await screenshot(page, 'rounds-published');
  });

  it('a student sees a countdown to a round that has not opened', async () => {
    const activity = await admin.activities.create.mutate({ name: 'Astronomy Night', maxParticipants: 10 });
    await admin.rounds.create.mutate({
      name: 'Spring clubs',
      mode: 'first_come',
      opensAt: day(3),
      closesAt: day(5),
      openingWindowSeconds: 60,
      activities: [{ activityId: activity.id }],
    });
    const page = await site.newPage();
    await logIn(page, 'student', KIRA.email, 'a good password');
    await page.goto('/rounds');
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Spring clubs' }) });
    const timer = card.getByRole('timer');
    const first = await timer.textContent();
    expect(first).toMatch(/^\d d \d+ h \d+ min \d+ s$/);
    await expect.poll(() => timer.textContent()).not.toBe(first);
    await card.getByText(/^Signups open at .* \(America\/New_York\): in/).waitFor();
  });

  it('a student who signs up in the opening window is told they are in the opening draw, and when results come', async () => {
    const activity = await admin.activities.create.mutate({ name: 'Film Society', maxParticipants: 10 });
    // Opens at this minute of the school's clock (the API takes whole minutes); the draw takes the next hour.
    const schoolNow = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'America/New_York',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(new Date());
    await admin.rounds.create.mutate({
      name: 'Film term',
      mode: 'first_come',
      opensAt: schoolNow.replace(' ', 'T'),
      closesAt: day(3),
      openingWindowSeconds: 3600,
      activities: [{ activityId: activity.id }],
    });
    const page = await site.newPage();
    await logIn(page, 'student', OMAR.email, 'a good password');
    await page.goto(`/activities/${activity.id}`);
    await page.getByRole('button', { name: 'Sign up for Film Society' }).click();
    await page.getByText(/^You are in the opening draw for Film Society; results at \d\d:\d\d\.$/).waitFor();
    await page.goto('/rounds');
    await page.getByText(/^You are in the opening draw for Film Society; results at \d\d:\d\d\.$/).waitFor();
  });
});
