// Issue 20, items 7 and 8 and the not-found and not-open pages of item 9: where focus goes and what the
// document is called, a phone's first screen and its tables, and the pages for an address that leads nowhere.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { logIn, register, screenshot, useSite } from './harness.ts';

const site = await useSite();
const { client: admin } = await site.asAdmin();
const PHONE = { width: 390, height: 844 };

/** The text of the focused element when it is the page's heading, else what is focused. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return element?.tagName === 'H1' ? `h1: ${element.textContent}` : element?.tagName.toLowerCase();
  });
const announced = (page: Page) => page.getByTestId('page-announcer').textContent();

/**
 * Whether the whole of the element is on the screen, and not hidden by a clipping box, once the page is
 * scrolled down to it: only the page, as a reader would, never a box inside it sideways.
 */
async function onScreen(page: Page, element: Locator) {
  await element.evaluate((node) =>
    window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 200),
  );
  const box = (await element.boundingBox())!;
  const viewport = page.viewportSize()!;
  const inside =
    box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
  // What the browser shows at the element's far corners is the element (or inside it): nothing clips it.
  const shown = await element.evaluate(
    (node, { box }) => {
      const at = (x: number, y: number) => {
        const top = document.elementFromPoint(x, y);
        return !!top && (node.contains(top) || top.contains(node));
      };
      return at(box.x + 2, box.y + box.height / 2) && at(box.x + box.width - 2, box.y + box.height / 2);
    },
    { box },
  );
  return inside && shown;
}

/** How much wider than the window the page is: a phone's page never scrolls sideways. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** A region that scrolls sideways must be reachable by keyboard and named; none may be unreachable. */
const unreachableScrollAreas = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.table-scroll')]
      .filter((area) => area.scrollWidth > area.clientWidth)
      .filter((area) => area.tabIndex !== 0 || !area.getAttribute('aria-label'))
      .map((area) => area.outerHTML.slice(0, 80)),
  );

describe('issue 20, item 7: titles, focus after navigation, focus on a result', () => {
  it('every page names the document; a link in the app moves the focus to its heading and announces it', async () => {
    const page = await site.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Activities' }).waitFor();
    expect(await page.title()).toBe('Activities · Mergington Activities');
    // The first page of a visit leaves the focus where the browser put it.
    expect(await focused(page)).toBe('body');

    // Filtering changes the address's query, not the page: the focus stays in the search box.
    await page.getByLabel('Search').fill('chess');
    await expect.poll(() => page.locator('.activity-card').count()).toBeLessThan(12);
    expect(await focused(page)).toBe('input');

    await page.getByRole('link', { name: 'Chess Club' }).click();
    await expect.poll(() => focused(page)).toBe('h1: Chess Club');
    expect(await page.title()).toBe('Chess Club · Mergington Activities');
    await expect.poll(() => announced(page)).toBe('Chess Club · Mergington Activities');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'News' }).click();
    await expect.poll(() => focused(page)).toBe('h1: News');
    expect(await page.title()).toBe('News · Mergington Activities');
    await page.getByRole('link', { name: 'Committees' }).click();
    await expect.poll(() => focused(page)).toBe('h1: Committees');
    expect(await page.title()).toBe('Committees · Mergington Activities');
    await expect.poll(() => announced(page)).toBe('Committees · Mergington Activities');
    await page.goBack();
    await expect.poll(() => focused(page)).toBe('h1: News');

    await logIn(page, 'teacher', 'principal', 'admin789');
    for (const [link, title] of [
      ['Payments', 'Payments'],
      ['Reports', 'Reports'],
      ['Dashboard', 'Dashboard'],
      ['People', 'People'],
      ['Rounds', 'Signup rounds'],
      ['My account', 'My account'],
    ]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link! }).click();
      await expect.poll(() => focused(page)).toBe(`h1: ${title}`);
      expect(await page.title()).toBe(`${title} · Mergington Activities`);
    }
  });

  it("an action's result message takes the focus, even when the button went with its card", async () => {
    const activity = await admin.activities.create.mutate({ name: 'Focus Club', maxParticipants: 5 });
    const page = await site.newPage(PHONE);
    await register(page, 'fiona.focus@mergington.edu', 'Fiona Focus');
    await page.goto(`/activities/${activity.id}`);
    await page.getByRole('button', { name: 'Sign up for Focus Club' }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.notice')?.textContent))
      .toContain('You are signed up for Focus Club.');

    await page.getByRole('link', { name: 'My activities' }).click();
    await expect.poll(() => focused(page)).toBe('h1: My activities');
    await page.getByRole('button', { name: 'Withdraw from Focus Club' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw from Focus Club' }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('You have withdrawn from Focus Club.');
  });
});

describe('issue 20, item 9: an address that leads nowhere, a page for other accounts', () => {
  it('an unknown address shows a page not found, titled, with the way back', async () => {
    for (const size of [PHONE, { width: 1280, height: 900 }]) {
      const page = await site.newPage(size);
      await page.goto('/activitys/chess');
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      expect(await page.title()).toBe('Page not found · Mergington Activities');
      await page.getByText('There is no page at /activitys/chess.').waitFor();
      await screenshot(page, `not-found-${size === PHONE ? 'phone' : 'desktop'}`);
      await page.getByRole('link', { name: 'Back to the activities' }).click();
      await expect.poll(() => focused(page)).toBe('h1: Activities');
    }
  });

  it('a student opening a staff page is told whose page it is, with links onward', async () => {
    for (const size of [PHONE, { width: 1280, height: 900 }]) {
      const page = await site.newPage(size);
      const phone = size === PHONE;
      await register(page, `nora.${phone ? 'phone' : 'desk'}@mergington.edu`, 'Nora Open');
      await page.goto('/payments');
      await page.getByRole('heading', { level: 1, name: 'Not open to your account' }).waitFor();
      expect(await page.title()).toBe('Not open to your account · Mergington Activities');
      await page.getByText('You are signed in as Nora Open, a student').waitFor();
      await page.getByRole('link', { name: 'Log in with another account' }).waitFor();
      await screenshot(page, `not-open-${phone ? 'phone' : 'desktop'}`);
      await page.getByRole('link', { name: 'Back to the activities' }).click();
      await expect.poll(() => focused(page)).toBe('h1: Activities');
    }
  });
});

describe('issue 20, item 8: phones', () => {
  it("the catalogue's first activity is on a phone's first screen; the filters open from one button", async () => {
    const page = await site.newPage(PHONE);
    await register(page, 'phil.phone@mergington.edu', 'Phil Phone');
    await page.goto('/');
    const first = page.locator('.activity-card').first();
    await first.waitFor();
    const box = (await first.boundingBox())!;
    expect(box.y + box.height, 'the first card is on the first screen').toBeLessThanOrEqual(PHONE.height);
    expect(await onScreen(page, first)).toBe(true);
    expect(await overflow(page), 'the page is wider than the phone').toBe(0);
    expect(await page.getByLabel('Search').isVisible()).toBe(false);
    await screenshot(page, 'catalogue-phone');

    const toggle = page.getByRole('button', { name: 'Filters', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByLabel('Category').selectOption('Sports');
    await expect
      .poll(() => page.locator('.activity-card h2').allTextContents())
      .toEqual(['Basketball Team', 'Morning Fitness', 'Soccer Team']);
    await screenshot(page, 'catalogue-filters-phone');
    await page.getByRole('button', { name: 'Filters (1 chosen)' }).click();
    expect(await page.getByLabel('Category').isVisible()).toBe(false);

    // At a desktop's width the filters are simply there, with no button.
    const desktop = await site.newPage();
    await desktop.goto('/');
    await desktop.getByLabel('Search').waitFor();
    expect(await desktop.getByRole('button', { name: /^Filters/ }).isVisible()).toBe(false);
    await screenshot(desktop, 'catalogue-desktop');
  });

  it("a student's payment status and due date are on a phone's screen, each labelled", async () => {
    const page = await site.newPage(PHONE);
    const email = 'paige.payer@mergington.edu';
    await register(page, email, 'Paige Payer');
    const student = (await admin.students.list.query({ search: email })).items[0]!;
    const { items } = await admin.activities.list.query({ search: 'Chess Club' });
    await admin.participants.add.mutate({ activityId: items[0]!.id, email });
    await admin.payments.create.mutate({
      studentId: student.id,
      activityId: items[0]!.id,
      amountCents: 2500,
      description: 'Tournament entry and travel to the regional final',
      dueDate: '2031-01-15',
    });

    await page.goto('/me');
    const table = page.getByRole('table', { name: 'My payments' });
    const row = table.getByRole('row', { name: /Chess Club/ });
    const status = row.getByRole('cell', { name: /Pending/ });
    const due = row.getByRole('cell', { name: /2031/ });
    await due.waitFor();
    expect(
      { status: await onScreen(page, status), due: await onScreen(page, due) },
      'nothing cut off',
    ).toEqual({
      status: true,
      due: true,
    });
    expect([await status.getAttribute('data-label'), await due.getAttribute('data-label')]).toEqual([
      'Status',
      'Due',
    ]);
    expect(await unreachableScrollAreas(page)).toEqual([]);
    expect(await overflow(page), 'the page is wider than the phone').toBe(0);
    await screenshot(page, 'my-activities-phone');

    const desktop = await site.newPage({
      width: 1280,
      height: 900,
      session: await page.context().storageState(),
    });
    await desktop.goto('/me');
    await desktop.getByRole('table', { name: 'My payments' }).waitFor();
    await screenshot(desktop, 'my-activities-desktop');
  });

  it('participants and payments are stacked rows on a phone; a table that scrolls is a tab stop', async () => {
    const activity = await admin.activities.create.mutate({ name: 'Stacked Club', maxParticipants: 5 });
    const student = await admin.students.create.mutate({
      email: 'a.really.long.address.for.stacking@mergington.edu',
      name: 'Stacey Stack',
      grade: 11,
    });
    await admin.participants.add.mutate({ activityId: activity.id, email: student.email });
    await admin.payments.create.mutate({
      studentId: student.id,
      activityId: activity.id,
      amountCents: 1200,
      dueDate: '2031-02-01',
    });

    const page = await site.newPage(PHONE);
    await logIn(page, 'teacher', 'principal', 'admin789');
    await page.goto(`/activities/${activity.id}/manage`);
    const participant = page.getByRole('row', { name: /Stacey Stack/ });
    for (const cell of await participant.getByRole('cell').all()) {
      expect(await onScreen(page, cell), (await cell.textContent()) ?? '').toBe(true);
    }
    expect(await unreachableScrollAreas(page)).toEqual([]);
    expect(await overflow(page), 'the page is wider than the phone').toBe(0);
    await screenshot(page, 'participants-phone');

    await page.goto(`/payments?activity=${activity.id}`);
    const payment = page.getByRole('row', { name: /Stacey Stack/ });
    await payment.waitFor();
    for (const cell of await payment.getByRole('cell').all()) {
      expect(await onScreen(page, cell), (await cell.textContent()) ?? '').toBe(true);
    }
    expect(await unreachableScrollAreas(page)).toEqual([]);
    expect(await overflow(page), 'the page is wider than the phone').toBe(0);
    await screenshot(page, 'payments-phone');

    // Between a phone and a desktop the payments table scrolls sideways: by keyboard too, as a named region.
    const tablet = await site.newPage({
      width: 700,
      height: 900,
      session: await page.context().storageState(),
    });
    await tablet.goto(`/payments?activity=${activity.id}`);
    await tablet.getByRole('row', { name: /Stacey Stack/ }).waitFor();
    const region = tablet.getByRole('region', { name: 'Payments (scrolls sideways)' });
    await region.waitFor();
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await unreachableScrollAreas(tablet)).toEqual([]);
    await screenshot(tablet, 'payments-tablet');
    const desktop = await site.newPage({ session: await page.context().storageState() });
    await desktop.goto(`/payments?activity=${activity.id}`);
    await desktop.getByRole('row', { name: /Stacey Stack/ }).waitFor();
    expect(await unreachableScrollAreas(desktop)).toEqual([]);
    await screenshot(desktop, 'payments-desktop');
  });
});
