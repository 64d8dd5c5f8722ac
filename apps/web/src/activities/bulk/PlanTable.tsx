import type { RouterOutputs } from '../../lib/shared.ts';
import { Table } from '../../ui/Table.tsx';
import { rosterStatusText } from '../../lib/format.ts';

type Plan = RouterOutputs['bulk']['preview'];
type Row = Plan['rows'][number];

export const outcomeText = ({ outcome, waitlistPosition }: Pick<Row, 'outcome' | 'waitlistPosition'>) =>
  rosterStatusText(outcome, waitlistPosition);

/** In words: "3 enrolled, 1 waitlisted, 2 refused". */
export function countsText(plan: Plan): string {
  const { enrolled, waitlisted, withdrawn, refused } = plan.counts;
  const parts = [
    plan.kind !== 'withdraw' && `${enrolled} enrolled`,
    plan.kind !== 'withdraw' && `${waitlisted} waitlisted`,
    (plan.kind === 'withdraw' || plan.kind === 'move') &&
      `${withdrawn} withdrawn from ${plan.from?.name ?? plan.activity.name}`,
    `${refused} refused`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** What happens to whom: one row per student of the list, with the reason of each refusal. */
export function PlanTable({ plan, caption }: { plan: Plan; caption: string }) {
  return (
    <>
      <p>{countsText(plan)}.</p>
      {plan.promoted.length > 0 && (
        <p>
          Seats freed in {plan.from?.name ?? plan.activity.name} go to the waitlist:{' '}
          {plan.promoted.map((student) => student.name).join(', ')}.
        </p>
      )}
      <Table caption={caption} columns={['Student', 'Email', 'Outcome', 'Why']}>
        {plan.rows.map((row) => (
          <tr key={row.key} className={row.outcome === 'refused' ? 'refused' : undefined}>
            <th scope="row">{row.name ?? row.key}</th>
            <td>{row.email ?? '–'}</td>
            <td>{outcomeText(row)}</td>
            <td>{row.reason ?? ''}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
