import { describe, expect, it } from 'vitest';
import { filtersFromSearch, listInputOf, NO_FILTERS, searchFromFilters } from './filters.ts';

describe('catalogue filters in the URL', () => {
  it('survive a round trip through the query string', () => {
    const filters = {
      search: 'chess & go',
      day: 'friday',
      time: 'after-school',
      category: 'Academic',
      hasSeats: true,
    } as const;
    const search = searchFromFilters(filters);
    expect(search).toBe('q=chess+%26+go&day=friday&time=after-school&category=Academic&seats=free');
    expect(filtersFromSearch(search)).toEqual(filters);
  });

  it('leave out what is not set, so the plain catalogue has a plain URL', () => {
    expect(searchFromFilters(NO_FILTERS)).toBe('');
    expect(searchFromFilters({ ...NO_FILTERS, search: '   ' })).toBe('');
    expect(filtersFromSearch('')).toEqual(NO_FILTERS);
  });

  it('ignore values a hand-edited link may hold instead of failing', () => {
    expect(filtersFromSearch('?day=someday&time=lunch&seats=yes&q=' + 'x'.repeat(500))).toEqual({
      ...NO_FILTERS,
      search: 'x'.repeat(100),
    });
  });

  it('become the API input, whole catalogue in one page', () => {
    expect(listInputOf({ ...NO_FILTERS, search: ' chess ', time: 'weekend' })).toEqual({
      pageSize: 500,
      search: 'chess',
      day: undefined,
      timeOfDay: 'weekend',
      category: undefined,
      hasSeats: undefined,
    });
  });
});
