import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { messageOf } from '../lib/errors.ts';

/**
 * The loading, error and empty states of a query, in one place, so that no screen forgets one.
 * `isEmpty` decides what counts as nothing to show.
 */
export function QueryView<T>({
  query,
  what,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  /** "activities": used in "Loading activities…" and the error. */
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <p className="muted" role="status">
        Loading {what}…
      </p>
    );
  if (query.isError)
    return (
      <div role="alert" className="error">
        <p>
          Could not load {what}: {messageOf(query.error)}
        </p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  if (isEmpty?.(query.data)) return <p className="muted">{empty ?? `No ${what} yet.`}</p>;
  return <>{children(query.data)}</>;
}

/** A polite notice for what just happened ("You are enrolled"), read out by screen readers. */
export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'warning' }) {
  return (
    <div role="status" className={`notice notice-${tone}`}>
      {children}
    </div>
  );
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {messageOf(error)}
    </p>
  );
}
