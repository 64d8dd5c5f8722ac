import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { leavingConsequence, useSeatsChanged } from '../activities/signup.tsx';
import { rateText, STATUS_LABELS } from '../attendance/attendance.ts';
import { TotalsTable } from '../attendance/TotalsTable.tsx';
import { CalendarFeed } from '../calendar/CalendarFeed.tsx';
import { formatCents, formatDate, formatDateTime, formatDay } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { changePasswordInput } from '../lib/shared.ts';
import { isStudent, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton, ConfirmButton } from '../ui/buttons.tsx';
import { FormFooter, thenReset, TextField, useZodForm } from '../ui/form.tsx';
import { PaymentStatus } from '../ui/PaymentStatus.tsx';
import { Stars } from '../ui/Stars.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** A signed-in user's own page: a student's activities, attendance, payments, positions and reviews; a password. */
export default function MyPage() {
  const user = useUser();
  return (
    <>
      <PageHeading>{isStudent(user) ? 'My activities' : 'My account'}</PageHeading>
      <p className="muted">
        Signed in as {user?.name} ({user?.email})
      </p>
      {user?.mustChangePassword ? (
        <Notice tone="warning">
          An admin reset your password to a temporary one. Choose your own below to go on: until then the rest
          of the app is closed to your account.
        </Notice>
      ) : (
        isStudent(user) && (
          <>
            <MyPromotions />
            <MySignups />
            <MyAttendance />
            <CalendarFeed />
            <MyPayments />
            <MyPositions />
            <MyReviews />
          </>
        )
      )}
      <ChangePassword />
    </>
  );
}

/**
 * Seats the waitlist gave the student, until they dismiss each one (which marks its notification read, here
 * and in the notification centre). Shown on load, so they do not take the focus from the page.
 */
function MyPromotions() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const promotions = useQuery(
    trpc.notifications.list.queryOptions({ kind: 'promoted', unreadOnly: true, page: 1, pageSize: 20 }),
  );
  const dismiss = useMutation(
    trpc.notifications.markRead.mutationOptions({ onSettled: () => invalidate(trpc.notifications) }),
  );
  const items = promotions.data?.items ?? [];
  return (
    <>
      {items.map((item) => {
        const activity = item.activityName ?? 'an activity';
        return (
          <Notice key={item.id} result={false}>
            <p>
              <Link href={item.link}>You got a seat in {activity}</Link> on {formatDateTime(item.createdAt)}:
              a seat came free and you were first on its waitlist.
            </p>
            <ActionButton
              label="Dismiss"
              target={`the seat in ${activity}`}
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate({ id: item.id }, { onSuccess: () => setDismissed(activity) })}
            />
          </Notice>
        );
      })}
      <ErrorText error={dismiss.error} />
      {dismissed && (
        <Notice key={dismissed}>
          Dismissed. The seat in {dismissed} stays in your <Link href="/notifications">notifications</Link>.
        </Notice>
      )}
    </>
  );
}

function MySignups() {
  const trpc = useTRPC();
  const seatsChanged = useSeatsChanged();
  const [left, setLeft] = useState<string | null>(null);
  const signups = useQuery(trpc.signups.mine.queryOptions());
  const leave = useMutation(trpc.signups.leave.mutationOptions({ onSettled: seatsChanged }));
  return (
    <section aria-labelledby="my-signups-heading">
      <h2 id="my-signups-heading">Activities I signed up for</h2>
      <QueryView
        query={signups}
        what="your activities"
        isEmpty={(list) => list.length === 0}
        empty={
          <>
            You have not signed up for anything yet. <Link href="/">Browse the activities</Link>.
          </>
        }
      >
        {(list) => (
          <ul className="list">
            {list.map((signup) => (
              <li key={signup.activity.id} className="card">
                <h3>
                  <Link href={`/activities/${signup.activity.id}`}>{signup.activity.name}</Link>
                </h3>
                <p className="muted">{signup.activity.schedule || 'Schedule to be announced'}</p>
                <p>
                  {signup.status === 'enrolled'
                    ? 'Enrolled'
                    : `Number ${signup.waitlistPosition} on the waitlist`}{' '}
                  <span className="muted">since {formatDate(signup.signupDate)}</span>
                </p>
                <ConfirmButton
                  label={signup.status === 'enrolled' ? 'Withdraw' : 'Leave the waitlist'}
                  target={`from ${signup.activity.name}`}
                  className="secondary"
                  question={
                    signup.status === 'enrolled'
                      ? `Withdraw from ${signup.activity.name}?`
                      : `Leave the waitlist of ${signup.activity.name}?`
                  }
                  consequence={leavingConsequence(signup.status)}
                  disabled={leave.isPending}
                  onConfirm={() =>
                    leave.mutate(
                      { activityId: signup.activity.id },
                      { onSuccess: () => setLeft(signup.activity.name) },
                    )
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={leave.error} />
      {left && <Notice key={left}>You have withdrawn from {left}.</Notice>}
    </section>
  );
}

function MyAttendance() {
  const trpc = useTRPC();
  const attendance = useQuery(trpc.attendance.mine.queryOptions());
  return (
    <section aria-labelledby="my-attendance-heading">
      <h2 id="my-attendance-heading">My attendance</h2>
      <QueryView
        query={attendance}
        what="your attendance"
        isEmpty={(data) => data.records.length === 0}
        empty="No attendance recorded yet."
      >
        {(data) => (
          <>
            <p>In all: {rateText(data.totals)}</p>
            <TotalsTable
              caption="My attendance per activity"
              heading="Activity"
              rows={data.activities.map((activity) => ({
                key: activity.activityId,
                label: <Link href={`/activities/${activity.activityId}`}>{activity.activityName}</Link>,
                totals: activity.totals,
              }))}
            />
            <details>
              <summary>Every meeting</summary>
              <Table
                caption="My attendance at each meeting"
                columns={['Meeting', 'Activity', 'Status', 'Note']}
              >
                {data.records.map((record) => (
                  <tr key={record.meetingId}>
                    <th scope="row">{formatDateTime(record.startsAt)}</th>
                    <td>{record.activityName}</td>
                    <td>{STATUS_LABELS[record.status]}</td>
                    <td>{record.note || '–'}</td>
                  </tr>
                ))}
              </Table>
            </details>
          </>
        )}
      </QueryView>
    </section>
  );
}

function MyPayments() {
  const trpc = useTRPC();
  const payments = useQuery(trpc.payments.mine.queryOptions());
  return (
    <section aria-labelledby="my-payments-heading">
      <h2 id="my-payments-heading">My payments</h2>
      <QueryView
        query={payments}
        what="your payments"
        isEmpty={(data) => data.items.length === 0}
        empty="No payments."
      >
        {(data) => (
          <>
            <p>
              <strong>Balance due: {formatCents(data.balanceCents)}</strong>
            </p>
            <Table caption="My payments" columns={['Activity', 'For', 'Amount', 'Status', 'Due']}>
              {data.items.map((payment) => (
                <tr key={payment.id}>
                  <th scope="row">{payment.activity.name}</th>
                  <td>{payment.description || '–'}</td>
                  <td>{formatCents(payment.amountCents)}</td>
                  <td>
                    <PaymentStatus payment={payment} />
                  </td>
                  <td>{payment.dueDate ? formatDay(payment.dueDate) : '–'}</td>
                </tr>
              ))}
            </Table>
          </>
        )}
      </QueryView>
    </section>
  );
}

function MyPositions() {
  const trpc = useTRPC();
  const positions = useQuery(trpc.positions.mine.queryOptions());
  return (
    <section aria-labelledby="my-positions-heading">
      <h2 id="my-positions-heading">My positions</h2>
      <QueryView
        query={positions}
        what="your positions"
        isEmpty={(list) => list.length === 0}
        empty="You hold no committee position."
      >
        {(list) => (
          <ul>
            {list.map((position) => (
              <li key={position.id}>
                {position.positionName} of {position.committee.name}{' '}
                <span className="muted">
                  ({formatDay(position.termStart)} – {position.termEnd ? formatDay(position.termEnd) : 'open'}
                  {position.current ? ', current' : ''})
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function MyReviews() {
  const trpc = useTRPC();
  const reviews = useQuery(trpc.feedback.mine.queryOptions());
  return (
    <section aria-labelledby="my-reviews-heading">
      <h2 id="my-reviews-heading">My reviews</h2>
      <QueryView
        query={reviews}
        what="your reviews"
        isEmpty={(list) => list.length === 0}
        empty="You have not reviewed an activity yet."
      >
        {(list) => (
          <ul className="list">
            {list.map((review) => (
              <li key={review.id} className="card">
                <h3>
                  <Link href={`/activities/${review.activity.id}`}>{review.activity.name}</Link>
                </h3>
                <p>
                  <Stars rating={review.rating} />
                  {review.hidden && <span className="tag"> Hidden by a teacher</span>}
                </p>
                {review.review && <p>{review.review}</p>}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  // A temporary password, once changed, no longer closes the app: the session is read again.
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({ onSuccess: () => invalidate(trpc.auth) }),
  );
  const form = useZodForm(changePasswordInput, thenReset(change.mutateAsync));
  return (
    <section aria-labelledby="password-heading" className="narrow">
      <h2 id="password-heading">Change password</h2>
      <form
        noValidate
        onSubmit={form.onSubmit((data) => ({
          currentPassword: data.get('currentPassword'),
          newPassword: data.get('newPassword'),
        }))}
      >
        <TextField
          form={form}
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
        />
        <TextField
          form={form}
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
        />
        {change.isSuccess && <Notice key={change.submittedAt}>Your password is changed.</Notice>}
        <FormFooter form={form} label="Change password" />
      </form>
    </section>
  );
}
