// Part of pnpm test:reliability: how fast the 500-activity catalogue is drawn in a real browser, printed
// beside its one-second target. A figure over the target is reported, not failed: a busy CI machine must not
// fail the build on a timing (what the catalogue shows is checked by e2e/catalogue-size.test.ts in `pnpm test`).
import { describe, expect, it } from 'vitest';
import { useSite } from '../e2e/harness.ts';
import { fillCatalogue, LARGE_CATALOGUE, MUSIC_CLUBS } from '../e2e/large-catalogue.ts';

const site = await useSite();

describe('the catalogue of a large school', () => {
  it(`shows ${LARGE_CATALOGUE} activities, timed against a one-second target`, async () => {
    await fillCatalogue(site);
    // A school's API is running already: the first request of a fresh process (connections, JIT) is not
    // what a student waits for.
    await fetch(`${site.url}/trpc/activities.list?input=${encodeURIComponent('{"json":{"pageSize":500}}')}`);
    const page = await site.newPage();
    // Predicates as functions, not strings: the Content-Security-Policy forbids evaluating strings.
    const cardsShown = (count: number) =>
      page.waitForFunction((n) => document.querySelectorAll('.activity-card').length === n, count);
    /** From navigation start: when the list had arrived, and when every card was on screen. */
    const load = async () => {
      await cardsShown(LARGE_CATALOGUE);
      return page.evaluate(() => {
        const list = performance
          .getEntriesByType('resource')
          .find((entry) => entry.name.includes('activities.list')) as PerformanceResourceTiming;
        const shown = performance.now();
        return { listed: list.responseEnd, shown, render: shown - list.responseEnd };
      });
    };
    // First visit: nothing cached, the scripts are fetched and compiled.
    await page.goto('/');
    const first = await load();
    // Every later visit: the scripts cached.
    await page.reload();
    const later = await load();
    // In the app: clearing a filter redraws every card from data already fetched.
    await page.getByLabel('Category').selectOption('Music');
    await cardsShown(MUSIC_CLUBS);
    const redraw = await page.evaluate(async (expected) => {
      const start = performance.now();
      const select = document.querySelector<HTMLSelectElement>('#filter-category')!;
      select.value = '';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      while (document.querySelectorAll('.activity-card').length !== expected)
        await new Promise(requestAnimationFrame);
      return performance.now() - start;
    }, LARGE_CATALOGUE);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `catalogue of ${LARGE_CATALOGUE} activities, from navigation start to every card shown (list arrived at; ` +
        `drawing it took): first visit ${ms(first.shown)} (${ms(first.listed)}; ${ms(first.render)}), ` +
        `later visit ${ms(later.shown)} (${ms(later.listed)}; ${ms(later.render)}), ` +
        `clearing a filter ${ms(redraw)}`,
    );
    const over = Object.entries({ 'later visit': later.shown, 'first drawing': first.render, redraw })
      .filter(([, value]) => value >= 1000)
      .map(([name]) => name);
    console.log(over.length ? `over the 1 s target: ${over.join(', ')}` : 'all within the 1 s target');
    // The timings are real measurements of a completed render, whatever the machine's load.
    for (const value of [first.shown, first.render, later.shown, redraw]) expect(value).toBeGreaterThan(0);
  });
});
