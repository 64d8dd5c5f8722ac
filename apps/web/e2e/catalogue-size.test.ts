import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, useSite } from './harness.ts';

const site = await useSite();
const TOTAL = 500;
const SAMPLE_ACTIVITIES = 12;
const ADDED = TOTAL - SAMPLE_ACTIVITIES;
const MUSIC_CLUBS = Math.floor((ADDED + 1) / 5); // n % 5 = 4 for n in 1..ADDED

describe('the catalogue of a large school', () => {
  it(`shows ${TOTAL} activities in under a second`, async () => {
    await site.orm.em.getConnection().execute(
      `insert into activity (name, description, schedule, schedule_days, start_time, end_time, category, max_participants)
       select format('Club %s', lpad(n::text, 3, '0')), repeat('Meet, learn and play together. ', 4),
              'Mondays, 3:30 PM - 5:00 PM', array['monday'], '15:30', '17:00',
              (array['Arts', 'Sports', 'Academic', 'Technology', 'Music'])[n % 5 + 1], 20 + n % 10
         from generate_series(1, ${ADDED}) as n`,
    );
    // A school's API is running already: the first request of a fresh process (connections, JIT) is not
    // what a student waits for.
    await fetch(`${site.url}/trpc/activities.list?input=${encodeURIComponent('{"json":{"pageSize":500}}')}`);
    const page = await site.newPage();
    const cards = `document.querySelectorAll('.activity-card').length === ${TOTAL}`;
    /** From navigation start: when the list had arrived, and when every card was on screen. */
    const load = async () => {
      await page.waitForFunction(cards);
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
    await page.waitForFunction(`document.querySelectorAll('.activity-card').length === ${MUSIC_CLUBS}`);
    const redraw = await page.evaluate(async (expected) => {
      const start = performance.now();
      const select = document.querySelector<HTMLSelectElement>('#filter-category')!;
      select.value = '';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      while (document.querySelectorAll('.activity-card').length !== expected)
        await new Promise(requestAnimationFrame);
      return performance.now() - start;
    }, TOTAL);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `catalogue of ${TOTAL} activities, from navigation start to every card shown (list arrived at; ` +
        `drawing it took): first visit ${ms(first.shown)} (${ms(first.listed)}; ${ms(first.render)}), ` +
        `later visit ${ms(later.shown)} (${ms(later.listed)}; ${ms(later.render)}), ` +
        `clearing a filter ${ms(redraw)}`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}catalogue-500.png` });
    expect(later.shown).toBeLessThan(1000);
    expect(first.render).toBeLessThan(1000);
    expect(redraw).toBeLessThan(1000);
  });
});
