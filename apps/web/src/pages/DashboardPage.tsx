import { useQuery } from '@tanstack/react-query';
import { formatRate } from '../attendance/attendance.ts';
import { formatCents, formatDay, labelOf } from '../lib/format.ts';
import type { RouterOutputs } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { BarChart } from '../ui/BarChart.tsx';
import { QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

type Dashboard = RouterOutputs['dashboard']['get'];

const COUNTS: [keyof Dashboard['counts'], string][] = [
  ['students', 'Students'],
  ['teachers', 'Teachers'],
  ['activities', 'Activities'],
  ['enrolled', 'Enrolled seats'],
  ['waitlisted', 'On waitlists'],
  ['groups', 'Groups'],
  ['upcomingEvents', 'Upcoming events'],
];
const FULLEST = 20;
const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : 0);

/** The admin's overview: counts, how full the activities are, payments by status, attendance per week. */
export default function DashboardPage() {
  const trpc = useTRPC();
  const dashboard = useQuery(trpc.dashboard.get.queryOptions());
  return (
    <>
      <PageHeading>Dashboard</PageHeading>
      <QueryView query={dashboard} what="the dashboard">
        {(data) => (
          <>
            <ul className="stat-grid list" aria-label="Counts">
              {COUNTS.map(([key, label]) => (
                <li key={key} className="card stat">
                  <strong>{data.counts[key]}</strong> {label}
                </li>
              ))}
            </ul>
            <FillChart fill={data.fill} />
            <PaymentCharts payments={data.payments} />
          </>
        )}
      </QueryView>
      <AttendanceChart />
    </>
  );
}

function FillChart({ fill }: { fill: Dashboard['fill'] }) {
  const fullest = fill.slice(0, FULLEST);
  const full = fill.filter((a) => a.enrolledCount >= a.maxParticipants).length;
  return (
    <section aria-labelledby="fill-heading">
      <h2 id="fill-heading">How full the activities are</h2>
      {fullest.length === 0 ? (
        <p className="muted">No activities yet.</p>
      ) : (
        <BarChart
          title={`Fill rate: the ${fullest.length} fullest activities`}
          summary={
            `Fill rate of the ${fullest.length} fullest activities (${full} of ${fill.length} activities are full): ` +
            fullest
              .slice(0, 3)
              .map((a) => `${a.name} ${percent(a.enrolledCount, a.maxParticipants)}%`)
              .join(', ') +
            (fullest.length > 3 ? ' and more.' : '.')
          }
          max={1}
          labelHeading="Activity"
          valueHeading="Seats taken"
          bars={fullest.map((a) => ({
            label: a.name,
            value: a.maxParticipants ? a.enrolledCount / a.maxParticipants : 0,
            valueText:
              `${a.enrolledCount} of ${a.maxParticipants} (${percent(a.enrolledCount, a.maxParticipants)}%)` +
              (a.waitlistCount ? `, ${a.waitlistCount} waiting` : ''),
          }))}
        />
      )}
    </section>
  );
}

function PaymentCharts({ payments }: { payments: Dashboard['payments'] }) {
  const count = payments.reduce((sum, p) => sum + p.count, 0);
  const total = payments.reduce((sum, p) => sum + p.totalCents, 0);
  const describe = (say: (p: Dashboard['payments'][number]) => string) =>
    payments.map((p) => `${labelOf(p.status).toLowerCase()} ${say(p)}`).join(', ');
  return (
    <section aria-labelledby="payments-heading">
      <h2 id="payments-heading">Payments by status</h2>
      {payments.length === 0 ? (
        <p className="muted">No payments yet.</p>
      ) : (
        <div className="chart-pair">
          <BarChart
            title="Number of payments"
            summary={`${count} ${count === 1 ? 'payment' : 'payments'}: ${describe((p) => String(p.count))}.`}
            labelHeading="Status"
            valueHeading="Payments"
            bars={payments.map((p) => ({
              label: labelOf(p.status),
              value: p.count,
              valueText: String(p.count),
            }))}
          />
          <BarChart
            title="Amount"
            summary={`${formatCents(total)} in all: ${describe((p) => formatCents(p.totalCents))}.`}
            labelHeading="Status"
            valueHeading="Amount"
            bars={payments.map((p) => ({
              label: labelOf(p.status),
              value: p.totalCents,
              valueText: formatCents(p.totalCents),
            }))}
          />
        </div>
      )}
    </section>
  );
}

type Weekly = RouterOutputs['attendance']['weekly'];

/** "Week of Nov 2": the weeks start on Monday. */
const weekLabel = (week: string) => `Week of ${formatDay(week).replace(/, \d{4}$/, '')}`;

/** The sentence a screen reader hears for the weekly chart: the latest week, and the range over all of them. */
export function weeklySummary(weeks: Weekly): string {
  const counted = weeks.filter((week) => week.rate !== null);
  if (counted.length === 0) return `No attendance recorded in the last ${weeks.length} weeks.`;
  const latest = counted[counted.length - 1]!;
  const rates = counted.map((week) => week.rate!);
  return (
    `Attendance rate per week over the last ${weeks.length} weeks: ${formatRate(latest.rate)} in the ` +
    `${weekLabel(latest.week).toLowerCase()}, between ${formatRate(Math.min(...rates))} and ` +
    `${formatRate(Math.max(...rates))} in the weeks with records.`
  );
}

function AttendanceChart() {
  const trpc = useTRPC();
  const weekly = useQuery(trpc.attendance.weekly.queryOptions({ weeks: 12 }));
  return (
    <section aria-labelledby="attendance-heading">
      <h2 id="attendance-heading">Attendance</h2>
      <QueryView query={weekly} what="attendance">
        {(weeks) => (
          <BarChart
            title="Attendance rate per week"
            summary={weeklySummary(weeks)}
            max={1}
            labelHeading="Week"
            valueHeading="Attended"
            bars={weeks.map((week) => ({
              label: weekLabel(week.week),
              value: week.rate ?? 0,
              valueText:
                week.rate === null
                  ? 'no records'
                  : `${formatRate(week.rate)} (${week.attended} of ${week.counted})`,
            }))}
          />
        )}
      </QueryView>
    </section>
  );
}
