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
    const page = await site.newPage();
    const cards = `document.querySelectorAll('.activity-card').length === ${TOTAL}`;
    // Cold: from navigation start (fetching the HTML, the scripts and the list) to every card on screen.
    await page.goto('/');
    await page.waitForFunction(cards);
    const cold = await page.evaluate(() => performance.now());
    const timings = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map(
          (entry: PerformanceEntry & { responseEnd?: number }) =>
            `${entry.name.replace(location.origin, '').split('?')[0]} ${entry.startTime.toFixed(0)}-${entry.responseEnd?.toFixed(0)}`,
        )
        .join(', '),
    );
    console.log(`cold load, when each resource had arrived (ms): ${timings}`);
    // Warm: the scripts cached, as on every visit after the first.
    await page.reload();
    await page.waitForFunction(cards);
    const warm = await page.evaluate(() => performance.now());
    // In-app: clearing a filter redraws every card from data already fetched.
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
    console.log(
      `catalogue of ${TOTAL} activities: cold load ${cold.toFixed(0)} ms, ` +
        `warm load ${warm.toFixed(0)} ms, clearing a filter ${redraw.toFixed(0)} ms`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}catalogue-500.png` });
    expect(warm).toBeLessThan(1000);
    expect(cold).toBeLessThan(1000);
  });
});
