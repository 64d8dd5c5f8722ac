import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Activity } from './activity.ts';
import { Student } from './student.ts';
import { timestamps } from './common.ts';
import { STORED_PAYMENT_STATUSES } from '@mergington/contract';

/** Money records are never deleted along with a student or an activity: those deletes are refused. */
export const Payment = defineEntity({
  name: 'Payment',
  properties: {
    id: p.integer().primary(),
    student: () => p.manyToOne(Student).deleteRule('restrict').index(),
    activity: () => p.manyToOne(Activity).deleteRule('restrict').index(),
    /** In cents, one currency for the whole school. */
    amountCents: p.integer(),
    status: p
      .enum([...STORED_PAYMENT_STATUSES])
      .default('pending')
      .index(),
    description: p.string().length(200).default(''),
    dueDate: p.date().nullable(),
    /** When the money came in: set exactly for paid payments and for refunded ones (paid, then returned). */
    paymentDate: p.datetime().nullable(),
    /** How it was paid (cash, card, transfer...), when known. */
    method: p.string().length(40).nullable(),
    ...timestamps,
  },
  checks: [
    { name: 'payment_amount_non_negative', expression: 'amount_cents >= 0' },
    {
      name: 'payment_date_when_paid',
      expression: "(status = 'paid' or status = 'refunded') = (payment_date is not null)",
    },
  ],
});

export type Payment = InferEntity<typeof Payment>;
