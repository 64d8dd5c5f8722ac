import { useMutation } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { useInvalidate } from '../../lib/queries.ts';
import type { RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ConfirmButton } from '../../ui/buttons.tsx';
import { ErrorText } from '../../ui/states.tsx';

type Activity = RouterOutputs['activities']['get'];

/** The Edit and Delete buttons of the activity itself. */
export function EditOrDeleteActivity({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const invalidate = useInvalidate();
  const remove = useMutation(
    trpc.activities.delete.mutationOptions({
      onSuccess: () => {
        navigate('/');
        void invalidate(trpc.activities, trpc.news, trpc.events);
      },
    }),
  );
  return (
    <div>
      <div className="actions">
        <Link href={`/activities/${activity.id}/edit`} className="button">
          Edit<span className="visually-hidden"> {activity.name}</span>
        </Link>
        <ConfirmButton
          label="Delete"
          target={activity.name}
          question={`Delete ${activity.name} with its signups, events, groups, news and reviews?`}
          disabled={remove.isPending}
          onConfirm={() => remove.mutate({ id: activity.id })}
        />
      </div>
      <ErrorText error={remove.error} />
    </div>
  );
}
