import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { wasRefusedInSession, messageOf } from '../lib/errors.ts';
import { useUser } from '../session.ts';
import { useFocusOnMount } from './focus.tsx';

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
          Could not load {what}. {messageOf(query.error)}
        </p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  if (isEmpty?.(query.data)) return <p className="muted">{empty ?? `No ${what} yet.`}</p>;
  return <>{children(query.data)}</>;
}

/**
 * A polite notice for what just happened ("You are enrolled"), read out by screen readers and given the focus
 * when it appears; a notice that is part of the page rather than an action's result says `result={false}`.
 */
export function Notice({
  children,
  tone = 'info',
  result = true,
}: {
  children: ReactNode;
  tone?: 'info' | 'warning';
  result?: boolean;
}) {
  const notice = useFocusOnMount<HTMLDivElement>(result);
  return (
    <div ref={notice} tabIndex={result ? -1 : undefined} role="status" className={`notice notice-${tone}`}>
      {children}
    </div>
  );
}

/**
 * An action's error, read out at once and given the focus when it appears. Refused because the session it was
 * made in has ended (`trpc.ts` asks for the session again), it says so and offers to log in again.
 */
export function ErrorText({ error }: { error: unknown }) {
  const user = useUser();
  const [path] = useLocation();
  if (!error) return null;
  if (user === null && wasRefusedInSession(error))
    return (
      <ErrorMessage>
        Your session has ended. <Link href={`/login?next=${encodeURIComponent(path)}`}>Log in again</Link>
      </ErrorMessage>
    );
  return <ErrorMessage>{messageOf(error)}</ErrorMessage>;
}

export function ErrorMessage({ children }: { children: ReactNode }) {
  const message = useFocusOnMount<HTMLParagraphElement>();
  return (
    <p ref={message} tabIndex={-1} role="alert" className="error">
      {children}
    </p>
  );
}
