import { describe, expect, it } from 'vitest';
import {
  formatCents,
  formatDay,
  formatRating,
  labelOf,
  ordinal,
  parseCents,
  rosterStatusText,
} from './format.ts';

describe('amounts', () => {
  it('are read from what people type, in cents', () => {
    expect(parseCents('12')).toBe(1200);
    expect(parseCents('12.5')).toBe(1250);
    expect(parseCents(' $12.05 ')).toBe(1205);
    expect(parseCents('0.99')).toBe(99);
    for (const bad of ['', 'abc', '12.345', '-3', '1,000']) expect(parseCents(bad)).toBeNaN();
  });

  it('are shown as dollars', () => {
    expect(formatCents(123_456)).toBe('$1,234.56');
  });
});

describe('labels', () => {
  it('turn API vocabulary into words', () => {
    expect(labelOf('competition_results')).toBe('Competition results');
    expect(labelOf('after-school')).toBe('After school');
  });

  it('say nothing of a rating nobody gave', () => {
    expect(formatRating(null, 0)).toBeNull();
    expect(formatRating(4.25, 1)).toBe('4.3 ★ (1 review)');
  });

  it('show a calendar day as that day in every time zone', () => {
    expect(formatDay('2026-12-01')).toBe('Dec 1, 2026');
  });
});

describe('places', () => {
  it('are ordinals, teens included', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});

describe('a roster status', () => {
  it('names the waitlist position, and the other outcomes as words', () => {
    expect(rosterStatusText('waitlisted', 3)).toBe('Waitlist, number 3');
    expect(['enrolled', 'withdrawn', 'refused'].map((status) => rosterStatusText(status, null))).toEqual([
      'Enrolled',
      'Withdrawn',
      'Refused',
    ]);
  });
});
