import { Link } from 'wouter';
import type { RouterOutputs } from '../../lib/shared.ts';
import { ActivityAttendance } from './ActivityAttendance.tsx';
import { EditOrDeleteActivity } from './EditOrDeleteActivity.tsx';
import { ManageEvents } from './ManageEvents.tsx';
import { ManageGroups } from './ManageGroups.tsx';
import { ModerateReviews } from './ModerateReviews.tsx';
import { ParticipantsAndWaitlist } from './ParticipantsAndWaitlist.tsx';

type Activity = RouterOutputs['activities']['get'];

/**
 * What teachers do on an activity's page: edit or delete it, participants and waitlist (and bulk changes to
 * them), attendance, events, groups, reviews.
 */
export default function TeacherTools({ activity }: { activity: Activity }) {
  return (
    <section aria-labelledby="teacher-tools-heading" className="tools">
      <h2 id="teacher-tools-heading">Teacher tools for {activity.name}</h2>
      <EditOrDeleteActivity activity={activity} />
      <ParticipantsAndWaitlist activity={activity} />
      <ActivityAttendance activity={activity} />
      <p>
        <Link href={`/activities/${activity.id}/bulk`}>
          Bulk changes: add many students by email, move, copy or withdraw several
        </Link>
      </p>
      <ManageEvents activity={activity} />
      <ManageGroups activity={activity} />
      <ModerateReviews activity={activity} />
    </section>
  );
}
