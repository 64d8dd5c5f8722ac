import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { rateText } from '../../attendance/attendance.ts';
import { TotalsTable } from '../../attendance/TotalsTable.tsx';
import type { RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { QueryView } from '../../ui/states.tsx';

type Activity = RouterOutputs['activities']['get'];

/** The activity's meetings and roll calls, and its attendance: in all and per student. */
export function ActivityAttendance({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const attendance = useQuery(trpc.attendance.forActivity.queryOptions({ activityId: activity.id }));
  return (
    <section aria-labelledby="attendance-tools-heading">
      <h2 id="attendance-tools-heading">Attendance</h2>
      <p>
        <Link href={`/activities/${activity.id}/meetings`} className="button">
          Meetings and roll call
        </Link>
      </p>
      <QueryView
        query={attendance}
        what="attendance"
        isEmpty={(data) => data.students.length === 0}
        empty="No attendance recorded yet."
      >
        {(data) => (
          <>
            <p>Attendance rate: {rateText(data.totals)}</p>
            <TotalsTable
              caption={`Attendance in ${activity.name} per student`}
              heading="Student"
              rows={data.students.map((student) => ({
                key: student.studentId,
                label: (
                  <>
                    {student.name}
                    {student.withdrawn && <span className="tag"> Withdrawn</span>}
                  </>
                ),
                totals: student.totals,
              }))}
            />
          </>
        )}
      </QueryView>
    </section>
  );
}
