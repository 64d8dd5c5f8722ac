import { describe, expect, it } from 'vitest';
import { register, screenshot, useSite } from './harness.ts';

const site = await useSite();

describe('a student’s calendar address', () => {
  it('is made, copied, replaced (the old one stops working) and turned off from My activities', async () => {
    const page = await site.newPage();
    await register(page, 'cal.endar@mergington.edu', 'Cal Endar');
    await page.goto('/me');
    await page.getByRole('heading', { level: 2, name: 'My calendar' }).waitFor();
    await expect.poll(() => page.getByText('You have no calendar address.').count()).toBe(1);

    await page.getByRole('button', { name: 'Get my calendar address' }).click();
    const address = page.getByLabel('Your calendar address');
    await expect.poll(() => address.inputValue()).toMatch(/\/calendar\/students\/[\w-]{43}\.ics$/);
    const first = await address.inputValue();
    const feed = await page.request.get(first);
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await screenshot(page, 'calendar-address');

    await page.getByRole('button', { name: 'Get a new address for my calendar' }).click();
    await page.getByRole('button', { name: 'Yes, get a new address for my calendar' }).click();
    await expect.poll(() => address.inputValue()).not.toBe(first);
    const second = await address.inputValue();
    expect((await page.request.get(first)).status()).toBe(404);
    expect((await page.request.get(second)).status()).toBe(200);

    await page.getByRole('button', { name: 'Turn off my calendar address' }).click();
    await page.getByRole('button', { name: 'Yes, turn off my calendar address' }).click();
    await expect.poll(() => page.getByText('Your calendar address is turned off.').count()).toBe(1);
    expect((await page.request.get(second)).status()).toBe(404);

    // After a reload the address is not shown again (only its hash is kept), but that one exists is.
    await page.getByRole('button', { name: 'Get my calendar address' }).click();
    await expect.poll(() => address.count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByText(/Your calendar address was made on/).count()).toBe(1);
    expect(await address.count()).toBe(0);
  });

  it('links each activity’s public feed beside its schedule', async () => {
    const { client: admin } = await site.asAdmin();
    const activity = await admin.activities.create.mutate({ name: 'Feed Linked Club', maxParticipants: 5 });
    const page = await site.newPage();
    await page.goto(`/activities/${activity.id}`);
    const link = page.getByRole('link', { name: 'Calendar feed of Feed Linked Club' });
    expect(await link.getAttribute('href')).toBe(`/calendar/activities/${activity.id}.ics`);
    expect((await page.request.get(`/calendar/activities/${activity.id}.ics`)).status()).toBe(200);
  });
});
