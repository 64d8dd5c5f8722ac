import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { useTRPC } from '../trpc.ts';
import { ConfirmButton } from '../ui/buttons.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';

/**
 * A student's calendar feed: a secret address a calendar app subscribes to, with the meetings and events of
 * their activities. Only its hash is kept, so the address is shown once, when it is made; a new one replaces
 * it (the old stops working), and it can be turned off.
 */
export function CalendarFeed() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const feed = useQuery(trpc.calendar.feed.queryOptions());
  const [address, setAddress] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [turnedOff, setTurnedOff] = useState(false);
  const regenerate = useMutation(
    trpc.calendar.regenerateFeed.mutationOptions({
      onSuccess: (made) => {
        setAddress(new URL(made.path, window.location.origin).href);
        setCopied(false);
        setTurnedOff(false);
      },
      onSettled: () => invalidate(trpc.calendar),
    }),
  );
  const revoke = useMutation(
    trpc.calendar.revokeFeed.mutationOptions({
      onSuccess: () => {
        setAddress(null);
        setTurnedOff(true);
      },
      onSettled: () => invalidate(trpc.calendar),
    }),
  );
  const copy = async () => {
    if (!address) return;
    await navigator.clipboard.writeText(address);
    setCopied(true);
  };
  const busy = regenerate.isPending || revoke.isPending;
  return (
    <section aria-labelledby="my-calendar-heading">
      <h2 id="my-calendar-heading">My calendar</h2>
      <p className="muted">
        Add your activities’ meetings and events to Google Calendar, Outlook or your phone: they subscribe to
        a private address and follow cancellations and moves.
      </p>
      <QueryView query={feed} what="your calendar">
        {({ createdAt }) => (
          <>
            {address ? (
              <div className="calendar-address">
                <label htmlFor="calendar-address">Your calendar address</label>
                <input
                  id="calendar-address"
                  readOnly
                  value={address}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <button type="button" onClick={() => void copy()}>
                  Copy
                </button>
                <p role="status">
                  {copied
                    ? 'Copied. Paste it where your calendar app asks for a calendar from the internet.'
                    : 'It is shown only now: copy it into your calendar app. Keep it to yourself: anyone with it sees your meetings.'}
                </p>
              </div>
            ) : createdAt ? (
              <p>
                Your calendar address was made on {formatDateTime(createdAt)}. It is shown only when it is
                made: to subscribe somewhere else, get a new one.
              </p>
            ) : (
              <p>You have no calendar address.</p>
            )}
            <div className="actions">
              {createdAt ? (
                <>
                  <ConfirmButton
                    label="Get a new address"
                    target="for my calendar"
                    className="secondary"
                    question="Get a new calendar address?"
                    consequence="The current address stops working: calendars subscribed to it stop updating until you give them the new one."
                    disabled={busy}
                    onConfirm={() => regenerate.mutate()}
                  />
                  <ConfirmButton
                    label="Turn off"
                    target="my calendar address"
                    question="Turn off your calendar address?"
                    consequence="Calendars subscribed to it stop updating."
                    disabled={busy}
                    onConfirm={() => revoke.mutate()}
                  />
                </>
              ) : (
                <button type="button" disabled={busy} onClick={() => regenerate.mutate()}>
                  Get my calendar address
                </button>
              )}
            </div>
          </>
        )}
      </QueryView>
      <ErrorText error={regenerate.error ?? revoke.error} />
      {turnedOff && <Notice>Your calendar address is turned off.</Notice>}
    </section>
  );
}
