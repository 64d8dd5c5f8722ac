import { useIsFetching, useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { formatTime } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import type { RouterOutputs } from '../lib/shared.ts';
import { isStudent, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ConfirmButton } from '../ui/buttons.tsx';
import { ErrorText, Notice } from '../ui/states.tsx';

type Activity = RouterOutputs['activities']['list']['items'][number];
type SignupResult = RouterOutputs['signups']['join'];

/** After a signup or a withdrawal every seat count, list and "mine" may have changed. */
export function useSeatsChanged() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  return () => invalidate(trpc.activities, trpc.signups, trpc.participants, trpc.groups, trpc.notifications);
}

/** What the join button says: the API's answer to how a newcomer joins (a free seat may be the waitlist's). */
export const joinButtonText = (activity: Pick<Activity, 'joinsAs'>) =>
  activity.joinsAs === 'waitlisted' ? 'Join the waitlist' : 'Sign up';

/**
 * Sign up, join the waitlist or withdraw: what a student can do about one activity, with where they stand
 * (the API's `myStanding`, which comes with the activity) and what happened (enrolled, waitlist position, a
 * schedule overlap) said right beside it. While the activity is being fetched again after a change, the
 * buttons wait for the new standing.
 */
export function SignupControl({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const user = useUser();
  const refreshing = useIsFetching({ queryKey: trpc.activities.get.queryKey({ id: activity.id }) }) > 0;
  const seatsChanged = useSeatsChanged();
  const [result, setResult] = useState<SignupResult | 'withdrawn' | null>(null);
  const join = useMutation(
    trpc.signups.join.mutationOptions({ onSuccess: setResult, onSettled: seatsChanged }),
  );
  const leave = useMutation(
    trpc.signups.leave.mutationOptions({ onSuccess: () => setResult('withdrawn'), onSettled: seatsChanged }),
  );

  if (user === null)
    return (
      <>
        {/* A session that ended as the student clicked: why they now see the visitor's words. */}
        <ErrorText error={join.error ?? leave.error} />
        <p className="muted">
          <Link href={`/login?next=/activities/${activity.id}`}>Log in</Link> to sign up.
        </p>
      </>
    );
  if (!isStudent(user)) return null;
  const standing = activity.myStanding;
  const busy = join.isPending || leave.isPending || refreshing || !standing;
  return (
    <div className="signup">
      {!standing ? (
        <button type="button" disabled>
          Checking your signup…
        </button>
      ) : standing.status === 'enrolled' || standing.status === 'waitlisted' ? (
        <>
          {/* One confirmation: right after signing up, the notice below says it. */}
          {!(result && result !== 'withdrawn') && (
            <p className="status" data-testid="standing">
              {standing.status === 'enrolled'
                ? 'You are signed up.'
                : `You are number ${standing.waitlistPosition} on the waitlist.`}
            </p>
          )}
          <ConfirmButton
            label={standing.status === 'enrolled' ? 'Withdraw' : 'Leave the waitlist'}
            target={`from ${activity.name}`}
            className="secondary"
            question={
              standing.status === 'enrolled'
                ? `Withdraw from ${activity.name}?`
                : `Leave the waitlist of ${activity.name}?`
            }
            consequence={leavingConsequence(standing.status, activity.waitlistCount)}
            disabled={busy}
            onConfirm={() => leave.mutate({ activityId: activity.id })}
          />
        </>
      ) : standing.status === 'not-open' ? (
        <p className="status not-open" data-testid="standing">
          {standing.label}.
        </p>
      ) : (
        <button type="button" disabled={busy} onClick={() => join.mutate({ activityId: activity.id })}>
          {joinButtonText(activity)}
          <span className="visually-hidden"> for {activity.name}</span>
        </button>
      )}
      <ErrorText error={join.error ?? leave.error} />
      {result === 'withdrawn' && <Notice>You have withdrawn from {activity.name}.</Notice>}
      {result && result !== 'withdrawn' && <SignupNotice result={result} name={activity.name} />}
    </div>
  );
}

/** What a student gives up by withdrawing, said before they do (a withdrawal cannot be taken back). */
export function leavingConsequence(status: 'enrolled' | 'waitlisted', waiting?: number) {
  if (status === 'waitlisted') return 'You lose your place in line; joining again puts you at the back.';
  if (waiting === 0) return 'Your seat is freed for anyone who signs up; joining again needs a free seat.';
  return 'Your seat goes to the next student on the waitlist at once; joining again puts you at the back of the line.';
}

function SignupNotice({ result, name }: { result: SignupResult; name: string }) {
  return (
    <>
      <Notice>
        {result.status === 'enrolled'
          ? `You are signed up for ${name}.`
          : result.status === 'in_draw'
            ? `You are in the opening draw for ${name}; results at ${formatTime(result.drawResultsAt!)}.`
            : `${name} is full: you are number ${result.waitlistPosition} on the waitlist.`}
      </Notice>
      {result.overlaps.length > 0 && (
        <Notice tone="warning">
          Its schedule overlaps{' '}
          {result.overlaps.map((other) => `${other.name} (${other.schedule})`).join(', ')}.
        </Notice>
      )}
    </>
  );
}
