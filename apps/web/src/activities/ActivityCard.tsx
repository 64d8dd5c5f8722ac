import { memo } from 'react';
import { Link } from 'wouter';
import { formatRating } from '../lib/format.ts';
import { scheduleText } from '@mergington/contract/schedule';
import type { RouterOutputs } from '../lib/shared.ts';

type Activity = RouterOutputs['activities']['list']['items'][number];

export function seatsText(activity: Activity): string {
  if (activity.spotsLeft > 0) return `${activity.spotsLeft} of ${activity.maxParticipants} seats left`;
  return activity.waitlistCount > 0 ? `Full · ${activity.waitlistCount} on the waitlist` : 'Full';
}

// Memoised: the catalogue can hold hundreds of cards, and a filter change must not redraw the unchanged ones.
export const ActivityCard = memo(function ActivityCard({ activity }: { activity: Activity }) {
  const rating = formatRating(activity.averageRating, activity.ratingCount);
  return (
    <li className="card activity-card">
      <h2>
        <Link href={`/activities/${activity.id}`}>{activity.name}</Link>
      </h2>
      {activity.category && <span className="tag">{activity.category}</span>}
      <p className="description">{activity.description}</p>
      <p className="schedule">{scheduleText(activity) || 'Schedule to be announced'}</p>
      <p className={activity.spotsLeft > 0 ? 'seats' : 'seats full'} data-testid="seats">
        {seatsText(activity)}
      </p>
      <p className="rating">{rating ?? 'No ratings yet'}</p>
      {activity.myStanding?.label && (
        <p className={`standing standing-${activity.myStanding.status}`} data-testid="standing">
          {activity.myStanding.label}
        </p>
      )}
    </li>
  );
});
