// What the large catalogue must do; how fast it does it is measured by the reliability suite
// (reliability/catalogue-timing.test.ts), which a busy machine cannot fail in `pnpm test`.
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, useSite } from './harness.ts';
import { fillCatalogue, LARGE_CATALOGUE, MUSIC_CLUBS } from './large-catalogue.ts';

const site = await useSite();
/** Long enough for a machine busy with other work: this test is about what is shown, not how fast. */
const patience = { timeout: 30_000 };

describe('the catalogue of a large school', () => {
  it(`shows all ${LARGE_CATALOGUE} activities, filters them, and shows them all again once the filter is cleared`, async () => {
    await fillCatalogue(site);
    const page = await site.newPage();
    const cards = page.locator('.activity-card');
    await page.goto('/');
    await expect.poll(() => cards.count(), patience).toBe(LARGE_CATALOGUE);
    await page.screenshot({ path: `${SCREENSHOTS}catalogue-500.png` });

    await page.getByLabel('Category').selectOption('Music');
    await expect.poll(() => cards.count(), patience).toBe(MUSIC_CLUBS);
    // Clearing the filter redraws every card from the list already fetched.
    await page.getByLabel('Category').selectOption({ label: 'Any category' });
    await expect.poll(() => cards.count(), patience).toBe(LARGE_CATALOGUE);
    expect(new URL(page.url()).search).toBe('');
  });
});
