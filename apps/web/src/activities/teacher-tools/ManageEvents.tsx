import { useMutation, useQuery } from '@tanstack/react-query';
import { useInvalidate } from '../../lib/queries.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ConfirmButton } from '../../ui/buttons.tsx';
import { ErrorText, QueryView } from '../../ui/states.tsx';
import { NewEventForm } from './NewEventForm.tsx';
import { RecordResultsForm } from './RecordResultsForm.tsx';

type Activity = RouterOutputs['activities']['get'];

/** The activity's events: record each one's results or delete it, and create a new one. */
export function ManageEvents({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const events = useQuery(trpc.events.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const remove = useMutation(
    trpc.events.delete.mutationOptions({ onSettled: () => invalidate(trpc.events) }),
  );
  return (
    <section aria-labelledby="event-tools-heading">
      <h2 id="event-tools-heading">Events</h2>
      <QueryView query={events} what="events" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list">
            {page.items.map((event) => (
              <li key={event.id} className="card">
                <h3>
                  {event.name} <span className="muted">· {formatDateTime(event.date)}</span>
                </h3>
                <details>
                  <summary>
                    Record results<span className="visually-hidden"> of {event.name}</span>
                  </summary>
                  <RecordResultsForm activity={activity} event={event} />
                </details>
                <ConfirmButton
                  label="Delete"
                  target={`event ${event.name}`}
                  question={`Delete the event ${event.name}?`}
                  disabled={remove.isPending}
                  onConfirm={() => remove.mutate({ id: event.id })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={remove.error} />
      <details>
        <summary>New event</summary>
        <NewEventForm activityId={activity.id} />
      </details>
    </section>
  );
}
