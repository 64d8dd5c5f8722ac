import { formatDate, labelOf } from '../lib/format.ts';
import type { RouterOutputs } from '../lib/shared.ts';

type Payment = RouterOutputs['payments']['list']['items'][number];

/** "Paid on Nov 3, 2026 (cash)", "Overdue", "Waived". */
export function PaymentStatus({ payment }: { payment: Payment }) {
  return (
    <span className={`payment-status payment-${payment.status}`}>
      {labelOf(payment.status)}
      {payment.status === 'paid' && payment.paidAt && (
        <span className="muted">
          {' '}
          on {formatDate(payment.paidAt)}
          {payment.method && ` (${payment.method})`}
        </span>
      )}
    </span>
  );
}
