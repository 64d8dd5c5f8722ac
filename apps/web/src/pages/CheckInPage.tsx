import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import { addDays, checkinOpenNow, dayOf, STATUS_LABELS } from '../attendance/attendance.ts';
import { formatDateTime } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { checkinInput, type MeetingDto } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { FormFooter, text, TextField, useZodForm } from '../ui/form.tsx';
import { Notice } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/**
 * A student checks in to a meeting with the code the teacher shows. The QR code's link
 * (`/check-in/<meeting>?code=<code>`) opens it with both filled in; from the menu, the student's meetings
 * with check-in open now are offered.
 */
export default function CheckInPage({ meetingId }: { meetingId?: number }) {
  const code = new URLSearchParams(useSearch()).get('code') ?? '';
  return (
    <section className="narrow">
      <PageHeading>Check in</PageHeading>
      {meetingId ? <CheckInForm meetingId={meetingId} code={code} /> : <ChooseMeeting />}
    </section>
  );
}

type OpenMeeting = MeetingDto & { activityName: string };

/** The student's meetings that take a code now: of their activities, yesterday to tomorrow, check-in open. */
function useOpenMeetings(): { meetings: OpenMeeting[]; pending: boolean } {
  const trpc = useTRPC();
  // Asked afresh on opening: a check-in is about now.
  const signups = useQuery({ ...trpc.signups.mine.queryOptions(), refetchOnMount: 'always' });
  const activities = (signups.data ?? [])
    .filter((signup) => signup.status === 'enrolled')
    .map((signup) => signup.activity);
  const today = dayOf(new Date());
  const lists = useQueries({
    queries: activities.map((activity) => ({
      ...trpc.meetings.list.queryOptions({
        activityId: activity.id,
        from: addDays(today, -1),
        to: addDays(today, 1),
      }),
      refetchOnMount: 'always' as const,
      refetchInterval: 15_000,
    })),
  });
  const meetings = lists.flatMap((list, index) =>
    (list.data ?? []).map((meeting) => ({ ...meeting, activityName: activities[index]!.name })),
  );
  return {
    meetings: checkinOpenNow(meetings, new Date()),
    pending: signups.isPending || lists.some((list) => list.isPending),
  };
}

function ChooseMeeting() {
  const { meetings, pending } = useOpenMeetings();
  const [chosen, setChosen] = useState<number | null>(null);
  if (pending)
    return (
      <p className="muted" role="status">
        Looking for your meetings…
      </p>
    );
  if (meetings.length === 0)
    return (
      <p>
        None of your activities takes check-ins now: your teacher opens check-in during the meeting.{' '}
        <Link href="/me">My activities</Link>
      </p>
    );
  const meetingId = meetings.length === 1 ? meetings[0]!.id! : chosen;
  return (
    <>
      {meetings.length === 1 ? (
        <p data-testid="checkin-meeting">
          <strong>{meetings[0]!.activityName}</strong>{' '}
          <span className="muted">{formatDateTime(meetings[0]!.startsAt)}</span>
        </p>
      ) : (
        <fieldset className="field">
          <legend>Which meeting?</legend>
          {meetings.map((meeting) => (
            <label key={meeting.id} className="checkbox">
              <input
                type="radio"
                name="meeting"
                checked={chosen === meeting.id}
                onChange={() => setChosen(meeting.id)}
              />
              {meeting.activityName}, {formatDateTime(meeting.startsAt)}
            </label>
          ))}
        </fieldset>
      )}
      {meetingId !== null && <CheckInForm key={meetingId} meetingId={meetingId} code="" />}
    </>
  );
}

function CheckInForm({ meetingId, code }: { meetingId: number; code: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const submit = useMutation(
    trpc.checkin.submit.mutationOptions({ onSuccess: () => invalidate(trpc.attendance) }),
  );
  const form = useZodForm(checkinInput, (input) => submit.mutateAsync(input));
  if (submit.data)
    return (
      <Notice>
        You are checked in to {submit.data.activityName}:{' '}
        <strong>{STATUS_LABELS[submit.data.status].toLowerCase()}</strong>.
      </Notice>
    );
  return (
    <form
      noValidate
      className="checkin-form"
      onSubmit={form.onSubmit((data) => ({ meetingId, code: text(data, 'code') ?? '' }))}
    >
      <TextField
        form={form}
        name="code"
        label="Code shown by your teacher"
        hint="6 digits; it changes every 30 seconds."
        defaultValue={code}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        className="code-input"
        required
      />
      <FormFooter form={form} label="Check in" />
    </form>
  );
}
