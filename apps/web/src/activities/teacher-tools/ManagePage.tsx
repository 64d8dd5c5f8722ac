import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { RouterOutputs } from '../../lib/shared.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { useTRPC } from '../../trpc.ts';
import { PageHeading } from '../../ui/focus.tsx';
import { QueryView } from '../../ui/states.tsx';
import { ActivityAttendance } from './ActivityAttendance.tsx';
import { EditOrDeleteActivity } from './EditOrDeleteActivity.tsx';
import { ManageEvents } from './ManageEvents.tsx';
import { ManageGroups } from './ManageGroups.tsx';
import { ManageNews } from './ManageNews.tsx';
import { ModerateReviews } from './ModerateReviews.tsx';
import { ParticipantsAndWaitlist } from './ParticipantsAndWaitlist.tsx';

type Activity = RouterOutputs['activities']['get'];

/** The sections, each at its own address: `/activities/<id>/manage/<path>`, the first `/manage`. */
const SECTIONS: { path: string; label: string; Tool: (props: { activity: Activity }) => ReactNode }[] = [
  { path: '', label: 'Participants', Tool: ParticipantsAndWaitlist },
  { path: 'attendance', label: 'Attendance', Tool: ActivityAttendance },
  { path: 'events', label: 'Events', Tool: ManageEvents },
  { path: 'groups', label: 'Groups', Tool: ManageGroups },
  { path: 'feedback', label: 'Feedback', Tool: ModerateReviews },
  { path: 'news', label: 'News', Tool: ManageNews },
];

const managePath = (activityId: number, section: string) =>
  `/activities/${activityId}/manage${section && `/${section}`}`;

/**
 * A teacher's workspace for one activity, apart from its public page: edit or delete it, then one section
 * at a time (participants and waitlist, attendance, events, groups, feedback, news), each behind a link at
 * the top.
 */
export default function ManagePage({ id, section = '' }: { id: number; section?: string }) {
  const trpc = useTRPC();
  const activity = useQuery(trpc.activities.get.queryOptions({ id }));
  const shown = SECTIONS.find((s) => s.path === section);
  if (!shown) return <NotFoundPage />;
  return (
    <QueryView query={activity} what="the activity">
      {(activity) => (
        <article className="tools">
          <p>
            <Link href={`/activities/${activity.id}`}>← {activity.name}</Link>
          </p>
          <div className="page-title">
            <PageHeading section={shown.label}>{`Manage ${activity.name}`}</PageHeading>
            <EditOrDeleteActivity activity={activity} />
          </div>
          <nav aria-label="Manage sections" className="section-tabs">
            {SECTIONS.map(({ path, label }) => (
              <Link
                key={path}
                href={managePath(activity.id, path)}
                aria-current={path === shown.path ? 'page' : undefined}
              >
                {label}
              </Link>
            ))}
          </nav>
          <shown.Tool activity={activity} />
        </article>
      )}
    </QueryView>
  );
}
