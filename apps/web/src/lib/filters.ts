import { TIMES_OF_DAY, WEEKDAYS } from '@mergington/contract/constants';
import type { RouterInputs } from './shared.ts';

type ListInput = RouterInputs['activities']['list'];

/** The catalogue's filters, as they appear in the URL so that a filtered view can be shared. */
export interface CatalogueFilters {
  search: string;
  day: (typeof WEEKDAYS)[number] | '';
  time: (typeof TIMES_OF_DAY)[number] | '';
  category: string;
  hasSeats: boolean;
}

export const NO_FILTERS: CatalogueFilters = { search: '', day: '', time: '', category: '', hasSeats: false };

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | '' =>
  values.includes(value as T) ? (value as T) : '';

/** Reads filters from a query string; unknown or malformed values are ignored, not errors. */
export function filtersFromSearch(search: string): CatalogueFilters {
  const params = new URLSearchParams(search);
  return {
    search: (params.get('q') ?? '').slice(0, 100),
    day: oneOf(WEEKDAYS, params.get('day')),
    time: oneOf(TIMES_OF_DAY, params.get('time')),
    category: (params.get('category') ?? '').slice(0, 60),
    hasSeats: params.get('seats') === 'free',
  };
}

/** The query string of a set of filters, empty values left out: `q=chess&day=monday`. */
export function searchFromFilters(filters: CatalogueFilters): string {
  const params = new URLSearchParams();
  if (filters.search.trim()) params.set('q', filters.search);
  if (filters.day) params.set('day', filters.day);
  if (filters.time) params.set('time', filters.time);
  if (filters.category) params.set('category', filters.category);
  if (filters.hasSeats) params.set('seats', 'free');
  return params.toString();
}

/** The API input for a set of filters: the whole catalogue in one page, as a school's list is short. */
export function listInputOf(filters: CatalogueFilters, pageSize = 500): ListInput {
  return {
    pageSize,
    search: filters.search.trim() || undefined,
    day: filters.day || undefined,
    timeOfDay: filters.time || undefined,
    category: filters.category || undefined,
    hasSeats: filters.hasSeats || undefined,
  };
}
