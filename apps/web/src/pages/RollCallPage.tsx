import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useRouter, useSearch } from 'wouter';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '@mergington/contract/constants';
import { checkinUrl, refFromSearch, rollCallSummary, STATUS_LABELS } from '../attendance/attendance.ts';
import { QrCode } from '../attendance/QrCode.tsx';
import { formatDateTime } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import type { MeetingRef, RollCallDto, RollCallEntry } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** How often the roll call is asked again: often while students check themselves in, else for a co-teacher's edits. */
const POLL_CHECKIN_MS = 3_000;
const POLL_MS = 15_000;

const meetingTimes = (meeting: RollCallDto['meeting']) =>
  `${formatDateTime(meeting.startsAt)} – ${meeting.endsAt.toLocaleTimeString('en-US', { timeStyle: 'short' })}`;

/**
 * A meeting's roll call on one screen, made for a phone: every student with four large status buttons,
 * "Mark everyone present" for the common case, a note on the exceptions, self check-in with its code and QR
 * code, and the edit history.
 */
export default function RollCallPage({ activityId }: { activityId: number }) {
  const ref = refFromSearch(activityId, useSearch());
  if (!ref)
    return (
      <>
        <PageHeading>Roll call</PageHeading>
        <p role="alert">
          This link names no meeting.{' '}
          <Link href={`/activities/${activityId}/meetings`}>Choose a meeting</Link>.
        </p>
      </>
    );
  return <RollCall activityId={activityId} meeting={ref} />;
}

function RollCall({ activityId, meeting }: { activityId: number; meeting: MeetingRef }) {
  const trpc = useTRPC();
  const rollCall = useQuery({
    ...trpc.attendance.rollCall.queryOptions({ meeting }),
    refetchInterval: (query) => (query.state.data?.meeting.checkinOpen ? POLL_CHECKIN_MS : POLL_MS),
  });
  return (
    <>
      <p>
        <Link href={`/activities/${activityId}/meetings`}>← All meetings</Link>
      </p>
      <QueryView query={rollCall} what="the roll call">
        {(data) => (
          <>
            <PageHeading>{`Roll call: ${data.meeting.activityName}`}</PageHeading>
            <p className="muted">{meetingTimes(data.meeting)}</p>
            {data.meeting.cancelled ? (
              <Notice tone="warning" result={false}>
                This meeting is cancelled: it takes no attendance.
              </Notice>
            ) : (
              <>
                <Students meeting={meeting} rollCall={data} />
                <SelfCheckin meeting={meeting} rollCall={data} />
              </>
            )}
            <History meeting={meeting} />
          </>
        )}
      </QueryView>
    </>
  );
}

/** Keeps a roll call the API answered after a change, instead of asking for it again. */
function useRollCallAnswered(meeting: MeetingRef) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  return (answer: RollCallDto) => {
    queryClient.setQueryData(trpc.attendance.rollCall.queryKey({ meeting }), answer);
    void invalidate(trpc.attendance.history, trpc.attendance.forActivity, trpc.meetings);
  };
}

function Students({ meeting, rollCall }: { meeting: MeetingRef; rollCall: RollCallDto }) {
  const trpc = useTRPC();
  const answered = useRollCallAnswered(meeting);
  const everyone = useMutation(trpc.attendance.markEveryonePresent.mutationOptions({ onSuccess: answered }));
  const statuses = rollCall.students.map((student) => student.status);
  const unmarked = statuses.filter((status) => status === null).length;
  return (
    <section aria-labelledby="students-heading" className="roll-call">
      <h2 id="students-heading">Students</h2>
      <p role="status" data-testid="roll-call-summary">
        {rollCallSummary(statuses)}
      </p>
      <button
        type="button"
        className="big-button"
        disabled={unmarked === 0 || everyone.isPending}
        onClick={() => everyone.mutate({ meeting })}
      >
        Mark everyone present
      </button>
      <p className="hint">Marks only the students not marked yet; then set the exceptions below.</p>
      <ErrorText error={everyone.error} />
      <ul className="list">
        {rollCall.students.map((student) => (
          <StudentRow key={student.studentId} meeting={meeting} student={student} />
        ))}
      </ul>
    </section>
  );
}

function StudentRow({ meeting, student }: { meeting: MeetingRef; student: RollCallEntry }) {
  const trpc = useTRPC();
  const id = useId();
  const answered = useRollCallAnswered(meeting);
  const mark = useMutation(trpc.attendance.mark.mutationOptions({ onSuccess: answered }));
  const save = (status: AttendanceStatus, note: string) =>
    mark.mutate({ meeting, marks: [{ studentId: student.studentId, status, note }] });
  // A note belongs to an exception (why absent, what excuses it); one already written stays visible.
  const withNote = (student.status !== null && student.status !== 'present') || student.note !== '';
  return (
    <li className={`card roll-row${student.status ? ` roll-${student.status}` : ''}`}>
      <div role="group" aria-labelledby={`${id}-name`} className="roll-student">
        <p className="roll-name">
          <strong id={`${id}-name`}>{student.name}</strong>{' '}
          {student.withdrawn && <span className="tag">Withdrawn</span>}
          <span className="muted roll-recorded">
            {student.recordedAt &&
              (student.source === 'check_in'
                ? ` Checked in at ${student.recordedAt.toLocaleTimeString('en-US', { timeStyle: 'short' })}`
                : ` Marked by ${student.recordedBy ?? 'a teacher'}`)}
          </span>
        </p>
        <div className="status-buttons">
          {ATTENDANCE_STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              className={`status-button${student.status === status ? ` selected status-${status}` : ''}`}
              aria-pressed={student.status === status}
              disabled={mark.isPending}
              onClick={() => save(status, student.note)}
            >
              {STATUS_LABELS[status]}
              <span className="visually-hidden"> {student.name}</span>
            </button>
          ))}
        </div>
      </div>
      {withNote && student.status && (
        <form
          key={student.note}
          className="row-form"
          onSubmit={(event) => {
            event.preventDefault();
            save(student.status!, String(new FormData(event.currentTarget).get('note') ?? ''));
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-note`}>
              Note<span className="visually-hidden"> for {student.name}</span>
            </label>
            <input id={`${id}-note`} name="note" defaultValue={student.note} maxLength={500} />
          </div>
          <button type="submit" className="secondary" disabled={mark.isPending}>
            Save note<span className="visually-hidden"> for {student.name}</span>
          </button>
        </form>
      )}
      <ErrorText error={mark.error} />
    </li>
  );
}

function SelfCheckin({ meeting, rollCall }: { meeting: MeetingRef; rollCall: RollCallDto }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const changed = () => invalidate(trpc.attendance.rollCall, trpc.checkin, trpc.meetings);
  const open = useMutation(trpc.checkin.open.mutationOptions({ onSuccess: changed }));
  const close = useMutation(trpc.checkin.close.mutationOptions({ onSuccess: changed }));
  const [grace, setGrace] = useState('10');
  const arrivals = rollCall.students
    .filter((student) => student.source === 'check_in' && student.recordedAt)
    .sort((a, b) => b.recordedAt!.getTime() - a.recordedAt!.getTime());
  const meetingId = rollCall.meeting.id;
  return (
    <section aria-labelledby="checkin-heading">
      <h2 id="checkin-heading">Self check-in</h2>
      {rollCall.meeting.checkinOpen && meetingId !== null ? (
        <>
          <CheckinCode meetingId={meetingId} activityName={rollCall.meeting.activityName} />
          <button
            type="button"
            className="secondary"
            disabled={close.isPending}
            onClick={() => close.mutate({ meetingId })}
          >
            Close check-in
          </button>
          <h3>Checked in ({arrivals.length})</h3>
          <ul aria-live="polite" data-testid="arrivals">
            {arrivals.map((student) => (
              <li key={student.studentId}>
                {student.name}{' '}
                <span className="muted">
                  {STATUS_LABELS[student.status!].toLowerCase()},{' '}
                  {student.recordedAt!.toLocaleTimeString('en-US', { timeStyle: 'short' })}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <form
          className="row-form"
          onSubmit={(event) => {
            event.preventDefault();
            open.mutate({ meeting, graceMinutes: Number(grace) });
          }}
        >
          <div className="field">
            <label htmlFor="grace">Late after (minutes)</label>
            <input
              id="grace"
              type="number"
              min={0}
              max={240}
              required
              value={grace}
              onChange={(event) => setGrace(event.target.value)}
            />
          </div>
          <button type="submit" disabled={open.isPending}>
            Open self check-in
          </button>
        </form>
      )}
      <p className="hint">
        Students enter the code on their phone (Check in, in the menu) or scan the QR code, from 15 minutes
        before the meeting until it ends. The code changes every 30 seconds.
      </p>
      <ErrorText error={open.error ?? close.error} />
    </section>
  );
}

/** The current code, asked for again when it changes, with a QR code of the link that fills it in. */
function CheckinCode({ meetingId, activityName }: { meetingId: number; activityName: string }) {
  const trpc = useTRPC();
  const { base } = useRouter();
  const code = useQuery({
    ...trpc.checkin.code.queryOptions({ meetingId }),
    refetchInterval: (query) =>
      Math.max(1_000, (query.state.data?.validUntil.getTime() ?? 0) - Date.now() + 250),
  });
  const seconds = useSecondsUntil(code.data?.validUntil);
  return (
    <QueryView query={code} what="the check-in code">
      {(data) => {
        const url = checkinUrl(window.location.origin, base, data.path);
        return (
          <div className="checkin">
            <div>
              <p className="checkin-code">
                <span className="visually-hidden">Check-in code: </span>
                <span data-testid="checkin-code">{data.code}</span>
              </p>
              <p className="muted">
                Changes in {seconds} s. Late after {data.graceMinutes} minutes.
              </p>
              <p className="checkin-link">
                Link: <span data-testid="checkin-link">{url}</span>
              </p>
            </div>
            <QrCode text={url} label={`QR code of the check-in link for ${activityName}`} />
          </div>
        );
      }}
    </QueryView>
  );
}

/** Whole seconds from now until `until`, counted down once a second. */
function useSecondsUntil(until: Date | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return until ? Math.max(0, Math.ceil((until.getTime() - now) / 1000)) : 0;
}

function History({ meeting }: { meeting: MeetingRef }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Edit history</summary>
      {open && <HistoryList meeting={meeting} />}
    </details>
  );
}

function HistoryList({ meeting }: { meeting: MeetingRef }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.attendance.history.queryOptions({ meeting }));
  return (
    <QueryView
      query={history}
      what="the edit history"
      isEmpty={(changes) => changes.length === 0}
      empty="Nothing recorded yet."
    >
      {(changes) => (
        <ol className="history" data-testid="history">
          {changes.map((change, index) => (
            <li key={index}>
              <span className="muted">{formatDateTime(change.changedAt)}</span> {change.studentName}:{' '}
              {STATUS_LABELS[change.status]}
              {change.note && ` (${change.note})`} ·{' '}
              {change.source === 'check_in' ? 'checked in' : `by ${change.changedBy ?? 'a teacher'}`}
            </li>
          ))}
        </ol>
      )}
    </QueryView>
  );
}
