import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useInvalidate } from '../lib/queries.ts';
import type { RouterOutputs } from '../lib/shared.ts';
import { isStudent, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ErrorText, Notice } from '../ui/states.tsx';

type Activity = RouterOutputs['activities']['list']['items'][number];
type SignupResult = RouterOutputs['signups']['join'];

/** The signed-in student's place in each activity, by activity id. */
export function useMySignups() {
  const trpc = useTRPC();
  const user = useUser();
  const mine = useQuery({ ...trpc.signups.mine.queryOptions(), enabled: isStudent(user) });
  return new Map(mine.data?.map((signup) => [signup.activity.id, signup]));
}

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
 * Sign up, join the waitlist or withdraw: what a student can do about one activity, with what happened
 * (enrolled, waitlist position, a schedule overlap) said right beside it.
 */
export function SignupControl({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const user = useUser();
  const mine = useMySignups().get(activity.id);
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
      <p className="muted">
        <Link href={`/login?next=/activities/${activity.id}`}>Log in</Link> to sign up.
      </p>
    );
  if (!isStudent(user)) return null;
  const pending = join.isPending || leave.isPending;
  return (
    <div className="signup">
      {mine ? (
        <>
          <p className="status">
            {mine.status === 'enrolled'
              ? 'You are signed up.'
              : `You are number ${mine.waitlistPosition} on the waitlist.`}
          </p>
          <button
            type="button"
            className="secondary"
            disabled={pending}
            onClick={() => leave.mutate({ activityId: activity.id })}
          >
            {mine.status === 'enrolled' ? 'Withdraw' : 'Leave the waitlist'}
            <span className="visually-hidden"> from {activity.name}</span>
          </button>
        </>
      ) : (
        <button type="button" disabled={pending} onClick={() => join.mutate({ activityId: activity.id })}>
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

function SignupNotice({ result, name }: { result: SignupResult; name: string }) {
  return (
    <>
      <Notice>
        {result.status === 'enrolled'
          ? `You are signed up for ${name}.`
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
