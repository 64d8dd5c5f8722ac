// Whether the API refused a call because the session had ended under an open page (expired, or logged out
// in another tab): the app then says so once, at the top, with a way back through the login.
import { useSyncExternalStore } from 'react';
import { TRPCClientError } from '@trpc/client';

let ended = false;
const listeners = new Set<() => void>();
const set = (value: boolean) => {
  if (ended === value) return;
  ended = value;
  for (const listener of listeners) listener();
};

/** The API refused a call for want of a session, not for a wrong password (which is UNAUTHORIZED too). */
export const isSignedOut = (error: unknown) =>
  error instanceof TRPCClientError && (error.data as { signedOut?: boolean } | undefined)?.signedOut === true;

export const noteSessionEnded = () => set(true);
/** Signed in again (or out on purpose): nothing to say any more. */
export const clearSessionEnded = () => set(false);

export function useSessionEnded(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => ended,
  );
}
