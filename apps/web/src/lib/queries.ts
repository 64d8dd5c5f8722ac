import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { useTRPC } from '../trpc.ts';

/**
 * Refetches everything one or more routers answered, after a change: `invalidate(trpc.news)` refreshes
 * every news list and item.
 */
export function useInvalidate() {
  const queryClient = useQueryClient();
  return (...routers: { pathKey: () => QueryKey }[]) =>
    Promise.all(routers.map((router) => queryClient.invalidateQueries({ queryKey: router.pathKey() })));
}

/**
 * A screen's filters kept in the URL's query string, so that a filtered view can be shared and Back undoes a
 * filter. `set({ category: 'general', page: undefined })`: empty values are left out of the URL.
 */
export function useSearchParams(): [URLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const params = new URLSearchParams(useSearch());
  const [location, navigate] = useLocation();
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    const search = next.toString();
    navigate(search ? `${location}?${search}` : location, { replace: true });
  };
  return [params, set];
}

/** A positive whole number from the URL, or undefined when it is missing or not one. */
export function idParam(value: string | null): number | undefined {
  const id = Number(value);
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647 ? id : undefined;
}

/** Every activity as a select's options, after an empty choice labelled `empty` ("Any activity"). */
export function useActivityOptions(empty: string) {
  const trpc = useTRPC();
  const activities = useQuery(trpc.activities.list.queryOptions({ pageSize: 500 }));
  return [
    { value: '', label: activities.isPending ? 'Loading activities…' : empty },
    ...(activities.data?.items ?? []).map((activity) => ({
      value: String(activity.id),
      label: activity.name,
    })),
  ];
}
