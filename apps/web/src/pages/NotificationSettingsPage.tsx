import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useInvalidate } from '../lib/queries.ts';
import { useTRPC } from '../trpc.ts';
import { ErrorText, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** Email on or off per kind of notification; in the app they always show. */
export default function NotificationSettingsPage() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const preferences = useQuery(trpc.notifications.preferences.queryOptions());
  const set = useMutation(
    trpc.notifications.setPreference.mutationOptions({ onSettled: () => invalidate(trpc.notifications) }),
  );
  return (
    <>
      <PageHeading>Email settings</PageHeading>
      <p className="muted">
        Every notification shows in the app (<Link href="/notifications">Notifications</Link>). Choose which
        ones are also emailed to you.
      </p>
      <ErrorText error={set.error} />
      <QueryView query={preferences} what="your settings">
        {(list) => (
          <fieldset className="settings-list">
            <legend>Email me when</legend>
            {list.map((preference) => (
              <label key={preference.kind} className="checkbox">
                <input
                  type="checkbox"
                  checked={preference.email}
                  disabled={!preference.optional || set.isPending}
                  onChange={(event) => set.mutate({ kind: preference.kind, email: event.target.checked })}
                />{' '}
                {preference.label}
                {!preference.optional && <span className="muted"> (always emailed)</span>}
              </label>
            ))}
          </fieldset>
        )}
      </QueryView>
    </>
  );
}
