import type { ReactNode } from 'react';
import type { AttendanceTotals } from '../lib/shared.ts';
import { Table } from '../ui/Table.tsx';
import { formatRate } from './attendance.ts';

const COLUMNS = ['Rate', 'Present', 'Late', 'Unexcused absences', 'Excused'];

/**
 * Attendance totals, one row each (a student of an activity, an activity of a student): the rate, then what
 * it is made of. `heading` names the first column, each row's `label` its first cell.
 */
export function TotalsTable({
  caption,
  heading,
  rows,
}: {
  caption: string;
  heading: string;
  rows: readonly { key: number; label: ReactNode; totals: AttendanceTotals }[];
}) {
  return (
    <Table caption={caption} columns={[heading, ...COLUMNS]}>
      {rows.map(({ key, label, totals }) => (
        <tr key={key}>
          <th scope="row">{label}</th>
          <td>{formatRate(totals.rate)}</td>
          <td>{totals.present}</td>
          <td>{totals.late}</td>
          <td className={totals.absent ? 'absences' : undefined}>{totals.absent}</td>
          <td>{totals.excused}</td>
        </tr>
      ))}
    </Table>
  );
}
