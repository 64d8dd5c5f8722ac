import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearch, useLocation } from 'wouter';
import { ActivityCard } from '../activities/ActivityCard.tsx';
import {
  filtersFromSearch,
  listInputOf,
  NO_FILTERS,
  searchFromFilters,
  type CatalogueFilters,
} from '../lib/filters.ts';
import { labelOf } from '../lib/format.ts';
// The vocabularies alone: the first screen does without the schemas (and zod) the forms load.
import { TIMES_OF_DAY, WEEKDAYS } from '@mergington/contract/constants';
import { isTeacher, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { QueryView } from '../ui/states.tsx';
import { Link } from 'wouter';
import { PageHeading } from '../ui/focus.tsx';

export function CataloguePage() {
  const trpc = useTRPC();
  const user = useUser();
  const [, navigate] = useLocation();
  const filters = filtersFromSearch(useSearch());
  // The filters live in the URL: a filtered view can be shared, and Back undoes a filter.
  const setFilters = (next: Partial<CatalogueFilters>) => {
    const search = searchFromFilters({ ...filters, ...next });
    navigate(search ? `/?${search}` : '/', { replace: true });
  };
  const activities = useQuery({
    ...trpc.activities.list.queryOptions(listInputOf(filters)),
    placeholderData: keepPreviousData,
  });
  const filtered = searchFromFilters(filters) !== '';
  // On a phone the filters fold behind one button, so that the first activity shows on the first screen; the
  // button, and the folding, exist only below the phone width (styles.css).
  const [filtersOpen, setFiltersOpen] = useState(false);
  const chosen = [filters.search, filters.day, filters.time, filters.category, filters.hasSeats].filter(
    Boolean,
  ).length;

  return (
    <>
      <div className="page-title">
        <PageHeading>Activities</PageHeading>
        {isTeacher(user) && (
          <Link href="/activities/new" className="button">
            New activity
          </Link>
        )}
      </div>
      <button
        type="button"
        className="secondary filters-toggle"
        aria-expanded={filtersOpen}
        aria-controls="catalogue-filters"
        onClick={() => setFiltersOpen(!filtersOpen)}
      >
        Filters{chosen > 0 && ` (${chosen} chosen)`}
      </button>
      <CatalogueFilterForm filters={filters} open={filtersOpen} onChange={setFilters} />
      <QueryView
        query={activities}
        what="activities"
        isEmpty={(page) => page.items.length === 0}
        empty={
          filtered ? (
            <>
              No activity matches these filters.{' '}
              <button type="button" className="link-button" onClick={() => setFilters(NO_FILTERS)}>
                Clear the filters
              </button>
            </>
          ) : (
            'No activities yet.'
          )
        }
      >
        {(page) => (
          <>
            <p className="muted" role="status">
              {page.total === 1 ? '1 activity' : `${page.total} activities`}
              {page.total > page.items.length && `, the first ${page.items.length} shown: narrow the search`}
            </p>
            <ul className="activity-grid" aria-label="Activities">
              {page.items.map((activity) => (
                <ActivityCard key={activity.id} activity={activity} />
              ))}
            </ul>
          </>
        )}
      </QueryView>
    </>
  );
}

function CatalogueFilterForm({
  filters,
  open,
  onChange,
}: {
  filters: CatalogueFilters;
  /** Shown on a phone (always shown wider). */
  open: boolean;
  onChange: (next: Partial<CatalogueFilters>) => void;
}) {
  const trpc = useTRPC();
  const categories = useQuery(trpc.activities.categories.queryOptions()).data ?? [];
  return (
    <form
      id="catalogue-filters"
      className={open ? 'filters open' : 'filters'}
      role="search"
      aria-label="Filter activities"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="field">
        <label htmlFor="filter-search">Search</label>
        <input
          id="filter-search"
          type="search"
          value={filters.search}
          maxLength={100}
          placeholder="Name or description"
          onChange={(event) => onChange({ search: event.target.value })}
        />
      </div>
      <FilterSelect
        id="filter-day"
        label="Day"
        any="Any day"
        value={filters.day}
        options={WEEKDAYS.map((day) => ({ value: day, label: labelOf(day) }))}
        onChange={(day) => onChange({ day: day as CatalogueFilters['day'] })}
      />
      <FilterSelect
        id="filter-time"
        label="Time"
        any="Any time"
        value={filters.time}
        options={TIMES_OF_DAY.map((time) => ({ value: time, label: labelOf(time) }))}
        onChange={(time) => onChange({ time: time as CatalogueFilters['time'] })}
      />
      <FilterSelect
        id="filter-category"
        label="Category"
        any="Any category"
        value={filters.category}
        // A shared link may name a category this list has not loaded yet.
        options={[...new Set([...categories, ...(filters.category ? [filters.category] : [])])].map(
          (category) => ({ value: category, label: category }),
        )}
        onChange={(category) => onChange({ category })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={filters.hasSeats}
          onChange={(event) => onChange({ hasSeats: event.target.checked })}
        />
        Has free seats
      </label>
    </form>
  );
}

function FilterSelect({
  id,
  label,
  any,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  /** The first option, "no filter". */
  any: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{any}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
