import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { addDays, dayOf, meetingRef, rollCallHref, timeOf } from '../attendance/attendance.ts';
import { formatDay } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { meetingAddInput, meetingMoveInput, type MeetingDto } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { ConfirmButton } from '../ui/buttons.tsx';
import { FormFooter, text, TextField, useZodForm } from '../ui/form.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** Two weeks back and four ahead: last week's roll calls to finish and the coming weeks to plan. */
const BACK = 14;
const AHEAD = 27;
const STEP = 28;

const timeText = (meeting: MeetingDto) =>
  `${meeting.startsAt.toLocaleTimeString('en-US', { timeStyle: 'short' })} – ${meeting.endsAt.toLocaleTimeString('en-US', { timeStyle: 'short' })}`;
const dayText = (meeting: MeetingDto) =>
  `${meeting.startsAt.toLocaleDateString('en-US', { weekday: 'short' })}, ${formatDay(meeting.date)}`;

/** An activity's meetings over six weeks: roll call, move or cancel each one, add a one-off meeting. */
export default function MeetingsPage({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const today = dayOf(new Date());
  const [from, setFrom] = useState(addDays(today, -BACK));
  const to = addDays(from, BACK + AHEAD);
  const activity = useQuery(trpc.activities.get.queryOptions({ id: activityId }));
  const meetings = useQuery(trpc.meetings.list.queryOptions({ activityId, from, to }));
  const name = activity.data?.name ?? 'the activity';
  // Said here, not in the meeting's item: a moved meeting is a new item in the list (its key changes).
  const [moved, setMoved] = useState<{ message: string; at: number } | null>(null);
  return (
    <>
      <p>
        <Link href={`/activities/${activityId}/manage/attendance`}>← Manage {name}</Link>
      </p>
      <PageHeading>{`Meetings of ${name}`}</PageHeading>
      <TodaysRollCall meetings={meetings.data} today={today} />
      <section aria-labelledby="meetings-heading">
        <h2 id="meetings-heading">
          {formatDay(from)} to {formatDay(to)}
        </h2>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setFrom(addDays(from, -STEP))}>
            Earlier weeks
          </button>
          <button type="button" className="secondary" onClick={() => setFrom(addDays(from, STEP))}>
            Later weeks
          </button>
        </div>
        {moved && <Notice key={moved.at}>{moved.message}</Notice>}
        <QueryView
          query={meetings}
          what="meetings"
          isEmpty={(list) => list.length === 0}
          empty="No meetings in these weeks. An activity without days, times and a term on it has only the meetings added below."
        >
          {(list) => (
            <ul className="list">
              {list.map((meeting) => (
                <MeetingItem
                  key={meeting.id ?? meeting.scheduledOn}
                  meeting={meeting}
                  today={meeting.date === today}
                  onMoved={(message) => setMoved({ message, at: Date.now() })}
                />
              ))}
            </ul>
          )}
        </QueryView>
      </section>
      <AddMeeting activityId={activityId} />
    </>
  );
}

/** The shortcut a teacher opening this at the start of a meeting wants: straight to today's roll call. */
function TodaysRollCall({ meetings, today }: { meetings: MeetingDto[] | undefined; today: string }) {
  const meeting = meetings?.find((m) => m.date === today && !m.cancelled);
  if (!meeting) return null;
  return (
    <p>
      <Link href={rollCallHref(meeting)} className="button big-button">
        Today's roll call ({timeText(meeting)})
      </Link>
    </p>
  );
}

function MeetingItem({
  meeting,
  today,
  onMoved,
}: {
  meeting: MeetingDto;
  today: boolean;
  onMoved: (message: string) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const changed = () => invalidate(trpc.meetings, trpc.attendance);
  const cancel = useMutation(trpc.meetings.cancel.mutationOptions({ onSuccess: changed }));
  const day = dayText(meeting);
  return (
    <li className={`card meeting${meeting.cancelled ? ' cancelled' : ''}`}>
      <p className="meeting-when">
        <strong>{day}</strong> <span>{timeText(meeting)}</span> {today && <span className="tag">Today</span>}{' '}
        {meeting.cancelled && <span className="tag">Cancelled</span>}{' '}
        {meeting.moved && <span className="tag">Moved</span>}{' '}
        {meeting.added && <span className="tag">Added</span>}{' '}
        {meeting.checkinOpen && <span className="tag">Check-in open</span>}
      </p>
      <div className="actions">
        {!meeting.cancelled && (
          <Link href={rollCallHref(meeting)} className="button">
            Roll call<span className="visually-hidden"> for {day}</span>
          </Link>
        )}
        {meeting.cancelled ? (
          <button
            type="button"
            className="secondary"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ meeting: meetingRef(meeting), cancelled: false })}
          >
            Restore<span className="visually-hidden"> the meeting of {day}</span>
          </button>
        ) : (
          <ConfirmButton
            label="Cancel meeting"
            target={`of ${day}`}
            question={`Cancel the meeting of ${day}?`}
            consequence="It takes no attendance, and any recorded stops counting in the rates."
            className="secondary"
            disabled={cancel.isPending}
            onConfirm={() => cancel.mutate({ meeting: meetingRef(meeting), cancelled: true })}
          />
        )}
      </div>
      <ErrorText error={cancel.error} />
      {!meeting.cancelled && (
        <details>
          <summary>
            Move<span className="visually-hidden"> the meeting of {day}</span>
          </summary>
          <MoveMeeting meeting={meeting} onMoved={onMoved} />
        </details>
      )}
    </li>
  );
}

/** Date, start and end fields, filled in with a meeting's (or left empty). */
function MeetingTimes({ form, meeting }: { form: ReturnType<typeof useZodForm>; meeting?: MeetingDto }) {
  return (
    <>
      <TextField form={form} name="date" label="Date" type="date" defaultValue={meeting?.date} required />
      <TextField
        form={form}
        name="startTime"
        label="Starts at"
        type="time"
        defaultValue={meeting && timeOf(meeting.startsAt)}
        required
      />
      <TextField
        form={form}
        name="endTime"
        label="Ends at"
        type="time"
        defaultValue={meeting && timeOf(meeting.endsAt)}
        required
      />
    </>
  );
}

const timesOf = (data: FormData) => ({
  date: text(data, 'date') ?? '',
  startTime: text(data, 'startTime') ?? '',
  endTime: text(data, 'endTime') ?? '',
});

function MoveMeeting({ meeting, onMoved }: { meeting: MeetingDto; onMoved: (message: string) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const move = useMutation(
    trpc.meetings.move.mutationOptions({ onSuccess: () => invalidate(trpc.meetings, trpc.attendance) }),
  );
  const form = useZodForm(meetingMoveInput, async (input) => {
    await move.mutateAsync(input);
    onMoved(
      `The meeting of ${dayText(meeting)} is moved to ${formatDay(input.date)}, ${input.startTime}–${input.endTime}.`,
    );
  });
  return (
    <form
      noValidate
      className="grid-form"
      onSubmit={form.onSubmit((data) => ({ meeting: meetingRef(meeting), ...timesOf(data) }))}
    >
      <MeetingTimes form={form} meeting={meeting} />
      <FormFooter form={form} label="Move meeting" />
    </form>
  );
}

function AddMeeting({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const add = useMutation(trpc.meetings.add.mutationOptions({ onSuccess: () => invalidate(trpc.meetings) }));
  const form = useZodForm(meetingAddInput, (input) => add.mutateAsync(input));
  return (
    <section aria-labelledby="add-meeting-heading">
      <h2 id="add-meeting-heading">Add a meeting</h2>
      <p className="hint">
        A one-off meeting: an extra practice, or the meetings of an activity without a fixed schedule.
      </p>
      <form
        noValidate
        className="grid-form"
        onSubmit={form.onSubmit((data) => ({ activityId, ...timesOf(data) }))}
      >
        <MeetingTimes form={form} />
        {add.data && (
          <Notice key={add.submittedAt}>
            Meeting added on {dayText(add.data)}, {timeText(add.data)}.{' '}
            <Link href={rollCallHref(add.data)}>Take its roll call</Link>
          </Notice>
        )}
        <FormFooter form={form} label="Add meeting" />
      </form>
    </section>
  );
}
