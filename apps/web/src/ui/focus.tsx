import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useLocation } from 'wouter';

// Where focus goes, and what a screen reader hears, when the screen changes: one home for the pattern.
// - A page's heading names the document ("Payments · Mergington Activities"); after a client-side navigation
//   it takes the focus and the page's title is announced in a polite live region.
// - What an action just did (a notice, an error) takes the focus when it appears (`useFocusOnMount`).

const SITE = 'Mergington Activities';

/** The title last announced, for the live region App renders once (`PageAnnouncer`). */
let announced = '';
const listeners = new Set<() => void>();
function announce(text: string) {
  announced = text;
  for (const listener of listeners) listener();
}
/** The path whose heading was shown last: `null` until the first page of the visit is shown. */
let shownPath: string | null = null;

/**
 * A page's `<h1>`, which also titles the document. The first page of a visit leaves the focus where the
 * browser put it; a page reached by a link in the app takes it on its heading (tabIndex -1) and is
 * announced, once per path: a filter changing the query string, or data loading again, moves nothing.
 * A page of several sections, each at its own path, names the one shown before itself in the title
 * (`section`: "Events · Manage Chess Club · …"), so that each section's address has its own title.
 */
export function PageHeading({ children, section }: { children: string; section?: string }) {
  const [path] = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  const title = `${section ? `${section} · ` : ''}${children} · ${SITE}`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => {
    if (shownPath === path) return;
    const first = shownPath === null;
    shownPath = path;
    if (first) return;
    heading.current?.focus();
    announce(title);
  }, [path, title]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** The polite live region that reads out the title of each page reached in the app. */
export function PageAnnouncer() {
  const text = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => announced,
  );
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="page-announcer">
      {text}
    </p>
  );
}

/**
 * A ref for an action's result (a notice, an error) that takes the focus when it appears, so that the
 * keyboard and a screen reader are where the answer is, even when the button pressed has gone with its row.
 * The element gets tabIndex -1. A message whose text changes while shown is given a `key` by its caller so
 * that it appears anew.
 */
export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const element = useRef<T>(null);
  useEffect(() => {
    if (enabled) element.current?.focus();
  }, [enabled]);
  return element;
}
