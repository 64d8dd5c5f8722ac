import { describe, expect, it } from 'vitest';
import { importDatasetSchema } from '@mergington/contract';
import { useTestDatabase } from '../../../test/test-database.ts';
import { listPayments } from '../payments/payments.ts';
import { applyImport } from './apply.ts';

const { orm } = await useTestDatabase();

describe('importing payments', () => {
  it('stores an old file’s overdue payment as pending, which reads show as overdue past its due date', async () => {
    const dataset = importDatasetSchema.parse({
      activities: [{ name: 'Chess Club', maxParticipants: 5 }],
      students: [{ email: 'emma@mergington.edu', name: 'Emma Jones', grade: 10 }],
      payments: [
        {
          studentEmail: 'emma@mergington.edu',
          activity: 'Chess Club',
          amountCents: 500,
          status: 'overdue',
          dueDate: '2020-01-31',
        },
      ],
    });
    const report = await applyImport(orm.em.fork(), [dataset], { overflow: 'waitlist', dryRun: false });
    expect(report.tables.payments.created).toBe(1);
    const rows = await orm.em.fork().execute<{ status: string }[]>(`select status from payment`);
    expect(rows).toEqual([{ status: 'pending' }]);
    const shown = await listPayments(orm.em.fork(), { page: 1, pageSize: 20 });
    expect(shown.items.map((payment) => payment.status)).toEqual(['overdue']);
  });
});
