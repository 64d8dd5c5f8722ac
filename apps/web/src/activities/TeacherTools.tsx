import type { RouterOutputs } from '../lib/shared.ts';

type Activity = RouterOutputs['activities']['get'];

/** What teachers do on an activity's page: edit or delete it, participants and waitlist, events, feedback. */
export default function TeacherTools({ activity }: { activity: Activity }) {
  return (
    <section aria-labelledby="teacher-tools-heading">
      <h2 id="teacher-tools-heading">Teacher tools for {activity.name}</h2>
    </section>
  );
}
