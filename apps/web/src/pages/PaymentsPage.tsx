import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type InputHTMLAttributes } from 'react';
import { formatCents, formatDay, labelOf, parseCents } from '../lib/format.ts';
import { idParam, useActivityOptions, useInvalidate, useSearchParams } from '../lib/queries.ts';
import {
  exportPath,
  PAYMENT_STATUSES,
  paymentCreateInput,
  paymentUpdateInput,
  type RouterOutputs,
} from '../lib/shared.ts';
import { isAdmin, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton, ConfirmButton } from '../ui/buttons.tsx';
import {
  FormFooter,
  thenReset,
  number,
  SelectField,
  text,
  TextField,
  useZodForm,
  type ZodForm,
} from '../ui/form.tsx';
import { Pager } from '../ui/Pager.tsx';
import { PaymentStatus } from '../ui/PaymentStatus.tsx';
import { StudentPicker } from '../ui/StudentPicker.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

type Payment = RouterOutputs['payments']['list']['items'][number];
type Status = (typeof PAYMENT_STATUSES)[number];

const PAGE_SIZE = 25;
const METHODS = ['Cash', 'Check', 'Card', 'Bank transfer'];
const centsText = (cents: number) => (cents / 100).toFixed(2);

/** Payments for teachers and admins: filter, record, mark paid; admins also waive, refund, correct, delete. */
export default function PaymentsPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const status = PAYMENT_STATUSES.find((s) => s === params.get('status'));
  const activityId = idParam(params.get('activity'));
  const page = idParam(params.get('page')) ?? 1;
  const payments = useQuery({
    ...trpc.payments.list.queryOptions({ status, activityId, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeading>Payments</PageHeading>
      <details className="card">
        <summary>Record a payment</summary>
        <PaymentForm />
      </details>
      <PaymentFilters
        status={status}
        activityId={activityId}
        onChange={(changes) => setParams({ ...changes, page: undefined })}
      />
      <QueryView
        query={payments}
        what="payments"
        isEmpty={(data) => data.items.length === 0}
        empty={status || activityId ? 'No payment matches these filters.' : 'No payments yet.'}
      >
        {(data) => (
          <>
            <p className="muted" role="status">
              {data.total === 1 ? '1 payment' : `${data.total} payments`}
            </p>
            <PaymentTable payments={data.items} />
            <Pager
              page={page}
              pageSize={PAGE_SIZE}
              total={data.total}
              onPage={(next) => setParams({ page: next > 1 ? String(next) : undefined })}
              what="payments"
            />
          </>
        )}
      </QueryView>
    </>
  );
}

function PaymentFilters({
  status,
  activityId,
  onChange,
}: {
  status?: Status;
  activityId?: number;
  onChange: (changes: { status?: string; activity?: string }) => void;
}) {
  const activityOptions = useActivityOptions('Any activity');
  return (
    <form className="filters" role="search" aria-label="Filter payments" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="payment-status">Filter by status</label>
        <select
          id="payment-status"
          value={status ?? ''}
          onChange={(event) => onChange({ status: event.target.value })}
        >
          <option value="">Any status</option>
          {PAYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {labelOf(s)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="payment-activity">Filter by activity</label>
        <select
          id="payment-activity"
          value={activityId ?? ''}
          onChange={(event) => onChange({ activity: event.target.value })}
        >
          {activityOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <p className="actions">
        {/* What this screen lists, every page of it, with a total per status. */}
        <a className="button secondary" href={exportPath('payments', 'csv', { status, activityId })} download>
          Download CSV
        </a>
        <a
          className="button secondary"
          href={exportPath('payments', 'xlsx', { status, activityId })}
          download
        >
          Download XLSX
        </a>
      </p>
    </form>
  );
}

function PaymentTable({ payments }: { payments: Payment[] }) {
  const [correcting, setCorrecting] = useState<number | null>(null);
  return (
    <Table caption="Payments" columns={['Student', 'Activity', 'For', 'Amount', 'Due', 'Status', 'Actions']}>
      {payments.map((payment) => (
        <PaymentRow
          key={payment.id}
          payment={payment}
          correcting={correcting === payment.id}
          onCorrect={(on) => setCorrecting(on ? payment.id : null)}
        />
      ))}
    </Table>
  );
}

function PaymentRow({
  payment,
  correcting,
  onCorrect,
}: {
  payment: Payment;
  correcting: boolean;
  onCorrect: (on: boolean) => void;
}) {
  const trpc = useTRPC();
  const admin = isAdmin(useUser());
  const invalidate = useInvalidate();
  const changed = { onSettled: () => invalidate(trpc.payments, trpc.dashboard) };
  const markPaid = useMutation(trpc.payments.markPaid.mutationOptions(changed));
  const waive = useMutation(trpc.payments.waive.mutationOptions(changed));
  const refund = useMutation(trpc.payments.refund.mutationOptions(changed));
  const remove = useMutation(trpc.payments.delete.mutationOptions(changed));
  const [method, setMethod] = useState(METHODS[0]!);
  const [corrected, setCorrected] = useState<number | null>(null);
  const what = `${payment.student.name}'s ${formatCents(payment.amountCents)} for ${payment.activity.name}`;
  const open = payment.status === 'pending' || payment.status === 'overdue';
  const error = markPaid.error ?? waive.error ?? refund.error ?? remove.error;

  return (
    <>
      <tr>
        <th scope="row">{payment.student.name}</th>
        <td>{payment.activity.name}</td>
        <td>{payment.description || '–'}</td>
        <td>{formatCents(payment.amountCents)}</td>
        <td>{payment.dueDate ? formatDay(payment.dueDate) : '–'}</td>
        <td>
          <PaymentStatus payment={payment} />
        </td>
        <td>
          <div className="actions">
            {open && (
              <span className="row-form">
                <label className="visually-hidden" htmlFor={`method-${payment.id}`}>
                  Method of {what}
                </label>
                <select
                  id={`method-${payment.id}`}
                  value={method}
                  onChange={(event) => setMethod(event.target.value)}
                >
                  {METHODS.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
                <ConfirmButton
                  label="Mark paid"
                  target={what}
                  className=""
                  question={`Mark ${what} as paid by ${method}?`}
                  consequence="It is recorded as received today; only an admin's refund or correction changes it."
                  disabled={markPaid.isPending}
                  onConfirm={() => markPaid.mutate({ id: payment.id, method })}
                />
              </span>
            )}
            {admin && open && (
              <ConfirmButton
                label="Waive"
                target={what}
                className="secondary"
                question={`Waive ${what}?`}
                consequence={`${payment.student.name} will no longer owe it.`}
                disabled={waive.isPending}
                onConfirm={() => waive.mutate({ id: payment.id })}
              />
            )}
            {admin && payment.status === 'paid' && (
              <ConfirmButton
                label="Refund"
                target={what}
                question={`Refund ${what}?`}
                disabled={refund.isPending}
                onConfirm={() => refund.mutate({ id: payment.id })}
              />
            )}
            {admin && <ActionButton label="Correct" target={what} onClick={() => onCorrect(!correcting)} />}
            {admin && (
              <ConfirmButton
                label="Delete"
                target={what}
                question={`Delete ${what}?`}
                disabled={remove.isPending}
                onConfirm={() => remove.mutate({ id: payment.id })}
              />
            )}
          </div>
          <ErrorText error={error} />
          {corrected && <Notice key={corrected}>The correction of {what} is saved.</Notice>}
        </td>
      </tr>
      {correcting && (
        <tr>
          <td colSpan={7}>
            <CorrectionForm
              payment={payment}
              what={what}
              onDone={(saved) => {
                onCorrect(false);
                if (saved) setCorrected(Date.now());
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function CorrectionForm({
  payment,
  what,
  onDone,
}: {
  payment: Payment;
  what: string;
  /** `saved`: the correction was stored (not cancelled). */
  onDone: (saved: boolean) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const update = useMutation(
    trpc.payments.update.mutationOptions({ onSettled: () => invalidate(trpc.payments, trpc.dashboard) }),
  );
  const form = useZodForm(paymentUpdateInput, async (input) => {
    await update.mutateAsync(input);
    onDone(true);
  });
  return (
    <form
      noValidate
      className="grid-form"
      aria-label={`Correct ${what}`}
      onSubmit={form.onSubmit((data) => ({
        id: payment.id,
        amountCents: parseCents(text(data, 'amountCents') ?? ''),
        description: text(data, 'description') ?? '',
        dueDate: text(data, 'dueDate', null),
      }))}
    >
      <AmountField form={form} defaultValue={centsText(payment.amountCents)} autoFocus />
      <TextField
        form={form}
        name="description"
        label="For"
        maxLength={200}
        defaultValue={payment.description}
      />
      <TextField form={form} name="dueDate" label="Due" type="date" defaultValue={payment.dueDate ?? ''} />
      <div className="form-footer">
        <FormFooter form={form} label="Save correction" />
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** An amount typed in dollars ("12.50"), read with parseCents into the schema's amountCents. */
function AmountField({
  form,
  ...input
}: { form: ZodForm } & Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name'>) {
  return (
    <TextField
      form={form}
      name="amountCents"
      label="Amount in $"
      inputMode="decimal"
      hint="Dollars and cents, e.g. 12.50"
      {...input}
    />
  );
}

/** A payment owed by a student signed up for the activity: the activity is chosen first, then one of them. */
function PaymentForm() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const activityOptions = useActivityOptions('Choose an activity');
  const [activityId, setActivityId] = useState<number | null>(null);
  const create = useMutation(
    trpc.payments.create.mutationOptions({ onSettled: () => invalidate(trpc.payments, trpc.dashboard) }),
  );
  const form = useZodForm(paymentCreateInput, thenReset(create.mutateAsync));
  return (
    <form
      noValidate
      className="grid-form"
      onReset={() => setActivityId(null)}
      onSubmit={form.onSubmit((data) => ({
        studentId: number(data, 'studentId'),
        activityId: number(data, 'activityId'),
        amountCents: parseCents(text(data, 'amountCents') ?? ''),
        description: text(data, 'description') ?? '',
        dueDate: text(data, 'dueDate', null),
      }))}
    >
      <SelectField
        form={form}
        name="activityId"
        label="Activity"
        options={activityOptions}
        required
        onChange={(event) => setActivityId(idParam(event.target.value) ?? null)}
      />
      <div className="wide">
        <StudentPicker form={form} signedUpFor={activityId} />
      </div>
      <AmountField form={form} required />
      <TextField
        form={form}
        name="description"
        label="For (optional)"
        maxLength={200}
        placeholder="Materials fee"
      />
      <TextField form={form} name="dueDate" label="Due (optional)" type="date" />
      {create.isSuccess && (
        <Notice key={create.submittedAt}>
          Recorded {formatCents(create.data.amountCents)} for {create.data.student.name} (
          {create.data.activity.name}).
        </Notice>
      )}
      <FormFooter form={form} label="Record payment" />
    </form>
  );
}
