import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@mergington/client';
import { useTRPC } from '../trpc.ts';

type Activity = RouterOutputs['activities']['list']['items'][number];

export function ActivityList() {
  const trpc = useTRPC();
  const activities = useQuery(trpc.activities.list.queryOptions({ pageSize: 100 }));

  if (activities.isPending) return <p>Loading activities…</p>;
  if (activities.isError)
    return <p role="alert">Could not load the activities: {activities.error.message}</p>;
  return (
    <section aria-label="Activities" className="activity-grid">
      {activities.data.items.map((activity) => (
        <ActivityCard key={activity.id} activity={activity} />
      ))}
    </section>
  );
}

function ActivityCard({ activity }: { activity: Activity }) {
  return (
    <article className="activity-card">
      <h2>{activity.name}</h2>
      {activity.category && <span className="category">{activity.category}</span>}
      <p>{activity.description}</p>
      <p className="schedule">{activity.schedule}</p>
      <p className="seats">
        {activity.spotsLeft > 0
          ? `${activity.spotsLeft} of ${activity.maxParticipants} spots left`
          : `Full, ${activity.waitlistCount} on the waitlist`}
      </p>
    </article>
  );
}
