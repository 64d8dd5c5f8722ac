import { describe, expect, it } from 'vitest';
import { weeklySummary } from './DashboardPage.tsx';

describe("the dashboard's attendance chart", () => {
  it('tells a screen reader the latest week and the range of the weeks with records', () => {
    expect(
      weeklySummary([
        { week: '2026-11-09', attended: 0, counted: 0, rate: null },
        { week: '2026-11-16', attended: 8, counted: 10, rate: 0.8 },
        { week: '2026-11-23', attended: 19, counted: 20, rate: 0.95 },
        { week: '2026-11-30', attended: 0, counted: 0, rate: null },
      ]),
    ).toBe(
      'Attendance rate per week over the last 4 weeks: 95% in the week of nov 23, between 80% and 95% in the weeks with records.',
    );
    expect(weeklySummary([{ week: '2026-11-30', attended: 0, counted: 0, rate: null }])).toBe(
      'No attendance recorded in the last 1 weeks.',
    );
  });
});
