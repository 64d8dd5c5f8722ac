import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useInvalidate } from '../lib/queries.ts';
import { formatDate, formatDateTime, ordinal, parseCents } from '../lib/format.ts';
import {
  eventCreateInput,
  eventResultsInput,
  participantByEmailInput,
  type GroupDto,
  type RouterOutputs,
} from '../lib/shared.ts';
import { isAdmin, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton, ConfirmButton } from '../ui/buttons.tsx';
import {
  FormFooter,
  number,
  SelectField,
  text,
  TextAreaField,
  TextField,
  useZodForm,
  type ZodForm,
} from '../ui/form.tsx';
import { Pager } from '../ui/Pager.tsx';
import { Stars } from '../ui/Stars.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { useSeatsChanged } from './signup.tsx';

type Activity = RouterOutputs['activities']['get'];
type Event = RouterOutputs['events']['list']['items'][number];

/** What teachers do on an activity's page: edit or delete it, participants and waitlist, events, feedback. */
export default function TeacherTools({ activity }: { activity: Activity }) {
  return (
    <section aria-labelledby="teacher-tools-heading" className="tools">
      <h2 id="teacher-tools-heading">Teacher tools for {activity.name}</h2>
      <ActivityActions activity={activity} />
      <Participants activity={activity} />
      <EventTools activity={activity} />
      <GroupTools activity={activity} />
      <FeedbackModeration activity={activity} />
    </section>
  );
}

function ActivityActions({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const invalidate = useInvalidate();
  const remove = useMutation(
    trpc.activities.delete.mutationOptions({
      onSuccess: () => {
        navigate('/');
        void invalidate(trpc.activities, trpc.news, trpc.events);
      },
    }),
  );
  return (
    <div>
      <div className="actions">
        <Link href={`/activities/${activity.id}/edit`} className="button">
          Edit<span className="visually-hidden"> {activity.name}</span>
        </Link>
        <ConfirmButton
          label="Delete"
          target={activity.name}
          question={`Delete ${activity.name} with its signups, events, groups, news and reviews?`}
          disabled={remove.isPending}
          onConfirm={() => remove.mutate({ id: activity.id })}
        />
      </div>
      <ErrorText error={remove.error} />
    </div>
  );
}

// ---- participants and waitlist

const PARTICIPANT_PAGE = 50;

function Participants({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const seatsChanged = useSeatsChanged();
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<string | null>(null);
  const participants = useQuery(
    trpc.participants.list.queryOptions({ activityId: activity.id, page, pageSize: PARTICIPANT_PAGE }),
  );
  const add = useMutation(trpc.participants.add.mutationOptions({ onSettled: seatsChanged }));
  const remove = useMutation(trpc.participants.remove.mutationOptions({ onSettled: seatsChanged }));
  const form = useZodForm(participantByEmailInput, async (input, element) => {
    const result = await add.mutateAsync(input);
    element.reset();
    setNotice(
      result.status === 'enrolled'
        ? `${input.email} is enrolled in ${activity.name}.`
        : `${activity.name} is full: ${input.email} is number ${result.waitlistPosition} on the waitlist.`,
    );
  });
  const removeOne = (name: string, email: string) =>
    remove.mutate(
      { activityId: activity.id, email },
      {
        onSuccess: (result) =>
          setNotice(
            `${name} was removed from ${activity.name}.` +
              (result.promotedStudentId ? ' The first student on the waitlist took the seat.' : ''),
          ),
      },
    );

  return (
    <section aria-labelledby="participants-heading">
      <h3 id="participants-heading">Participants and waitlist</h3>
      <QueryView
        query={participants}
        what="participants"
        isEmpty={(data) => data.total === 0}
        empty="Nobody has signed up yet."
      >
        {(data) => (
          <>
            <p className="muted">
              {activity.enrolledCount} of {activity.maxParticipants} seats taken
              {activity.waitlistCount > 0 && `, ${activity.waitlistCount} on the waitlist`}.
            </p>
            <Table
              caption={`Participants of ${activity.name}`}
              columns={['Student', 'Email', 'Grade', 'Status', 'Signed up', 'Actions']}
            >
              {data.items.map((participant) => (
                <tr key={participant.studentId}>
                  <th scope="row">{participant.name}</th>
                  <td>{participant.email}</td>
                  <td>{participant.grade ?? '–'}</td>
                  <td>
                    {participant.status === 'enrolled'
                      ? 'Enrolled'
                      : `Waitlist, number ${participant.waitlistPosition}`}
                  </td>
                  <td>{formatDate(participant.signupDate)}</td>
                  <td>
                    <ConfirmButton
                      label="Remove"
                      target={participant.name}
                      question={`Remove ${participant.name} from ${activity.name}?`}
                      disabled={remove.isPending}
                      onConfirm={() => removeOne(participant.name, participant.email)}
                    />
                  </td>
                </tr>
              ))}
            </Table>
            <Pager
              page={page}
              pageSize={PARTICIPANT_PAGE}
              total={data.total}
              onPage={setPage}
              what="participants"
            />
          </>
        )}
      </QueryView>
      <ErrorText error={remove.error} />
      {notice && <Notice>{notice}</Notice>}
      <form
        className="inline-form"
        noValidate
        onSubmit={form.onSubmit((data) => ({ activityId: activity.id, email: text(data, 'email') ?? '' }))}
      >
        <TextField
          form={form}
          name="email"
          label="Add a student by email"
          type="email"
          autoComplete="off"
          hint="Enrolled when a seat is free, otherwise put on the waitlist."
          required
        />
        <FormFooter form={form} label="Add student" />
      </form>
    </section>
  );
}

// ---- events: create with prizes and judges, delete, record results

function EventTools({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const events = useQuery(trpc.events.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const remove = useMutation(
    trpc.events.delete.mutationOptions({ onSettled: () => invalidate(trpc.events) }),
  );
  return (
    <section aria-labelledby="event-tools-heading">
      <h3 id="event-tools-heading">Manage events</h3>
      <QueryView query={events} what="events" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list">
            {page.items.map((event) => (
              <li key={event.id} className="card">
                <h4>
                  {event.name} <span className="muted">· {formatDateTime(event.date)}</span>
                </h4>
                <details>
                  <summary>
                    Record results<span className="visually-hidden"> of {event.name}</span>
                  </summary>
                  <ResultsForm activity={activity} event={event} />
                </details>
                <ConfirmButton
                  label="Delete"
                  target={`event ${event.name}`}
                  question={`Delete the event ${event.name}?`}
                  disabled={remove.isPending}
                  onConfirm={() => remove.mutate({ id: event.id })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={remove.error} />
      <details>
        <summary>New event</summary>
        <EventForm activityId={activity.id} />
      </details>
    </section>
  );
}

/** Rows the teacher adds and removes; each has a stable key while its index names its fields. */
function useRows(initial: number) {
  const [rows, setRows] = useState(() => Array.from({ length: initial }, (_, i) => i));
  const [next, setNext] = useState(initial);
  return {
    rows,
    add: () => {
      setRows([...rows, next]);
      setNext(next + 1);
    },
    remove: (key: number) => setRows(rows.filter((row) => row !== key)),
    reset: () => setRows([]),
  };
}

const OTHER_JUDGE = '';

function EventForm({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const user = useUser();
  const invalidate = useInvalidate();
  const prizes = useRows(0);
  const judges = useRows(0);
  const [created, setCreated] = useState<string | null>(null);
  // Teachers may name themselves as judges; admins can list every teacher.
  const teachers = useQuery({
    ...trpc.teachers.list.queryOptions({ pageSize: 100 }),
    enabled: isAdmin(user),
  });
  const teacherOptions = [
    { value: OTHER_JUDGE, label: 'Someone else (type the name)' },
    ...(teachers.data?.items ?? (user?.kind === 'teacher' ? [user] : [])).map((teacher) => ({
      value: String(teacher.id),
      label: teacher.name,
    })),
  ];
  const create = useMutation(
    trpc.events.create.mutationOptions({ onSettled: () => invalidate(trpc.events) }),
  );
  const form = useZodForm(eventCreateInput, async (input, element) => {
    const event = await create.mutateAsync(input);
    element.reset();
    prizes.reset();
    judges.reset();
    setCreated(event.name);
  });
  const read = (data: FormData) => {
    const date = text(data, 'date');
    return {
      activityId,
      name: text(data, 'name') ?? '',
      date: date ? new Date(date) : undefined,
      venue: text(data, 'venue') ?? '',
      description: text(data, 'description') ?? '',
      prizes: prizes.rows.map((_, i) => {
        const amount = text(data, `prizes.${i}.amountCents`);
        return {
          place: number(data, `prizes.${i}.place`),
          description: text(data, `prizes.${i}.description`) ?? '',
          amountCents: amount ? parseCents(amount) : undefined,
        };
      }),
      judges: judges.rows.map((_, i) => {
        const teacherId = text(data, `judges.${i}.teacherId`);
        return teacherId ? { teacherId: Number(teacherId) } : { name: text(data, `judges.${i}.name`) ?? '' };
      }),
    };
  };

  return (
    <form noValidate className="grid-form" onSubmit={form.onSubmit(read)}>
      <TextField form={form} name="name" label="Event name" maxLength={200} required />
      <TextField form={form} name="date" label="Date and time" type="datetime-local" required />
      <TextField form={form} name="venue" label="Venue (optional)" maxLength={200} />
      <div className="wide">
        <TextAreaField form={form} name="description" label="Description (optional)" maxLength={5000} />
      </div>
      <fieldset className="field wide">
        <legend>Prizes</legend>
        {prizes.rows.map((key, i) => (
          <fieldset key={key} className="row-form">
            <legend className="visually-hidden">Prize {i + 1}</legend>
            <TextField
              form={form}
              name={`prizes.${i}.place`}
              label="Place"
              type="number"
              min={1}
              max={100}
              defaultValue={i + 1}
            />
            <TextField form={form} name={`prizes.${i}.description`} label="Prize" maxLength={200} />
            <TextField
              form={form}
              name={`prizes.${i}.amountCents`}
              label="Amount in $ (optional)"
              inputMode="decimal"
            />
            <ActionButton label="Remove" target={`prize ${i + 1}`} onClick={() => prizes.remove(key)} />
          </fieldset>
        ))}
        <FieldMessages form={form} name="prizes" />
        <div>
          <button type="button" className="secondary" onClick={prizes.add}>
            Add a prize
          </button>
        </div>
      </fieldset>
      <fieldset className="field wide">
        <legend>Judges</legend>
        {judges.rows.map((key, i) => (
          <fieldset key={key} className="row-form">
            <legend className="visually-hidden">Judge {i + 1}</legend>
            <SelectField form={form} name={`judges.${i}.teacherId`} label="Judge" options={teacherOptions} />
            <TextField
              form={form}
              name={`judges.${i}.name`}
              label="Name, when not a teacher"
              maxLength={200}
            />
            <ActionButton label="Remove" target={`judge ${i + 1}`} onClick={() => judges.remove(key)} />
            <FieldMessages form={form} name={`judges.${i}`} />
          </fieldset>
        ))}
        <div>
          <button type="button" className="secondary" onClick={judges.add}>
            Add a judge
          </button>
        </div>
      </fieldset>
      {created && <Notice>The event {created} is created.</Notice>}
      <FormFooter form={form} label="Create event" />
    </form>
  );
}

/** Errors of a whole group of fields ("names a place twice"), shown under the group. */
function FieldMessages({ form, name }: { form: ZodForm; name: string }) {
  const messages = form.errors[name];
  if (!messages) return null;
  return (
    <small role="alert" className="field-error">
      {messages.join('; ')}
    </small>
  );
}

/** Who won which place: an enrolled student or a group of the activity, per prize place. */
function ResultsForm({ activity, event }: { activity: Activity; event: Event }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const participants = useQuery(
    trpc.participants.list.queryOptions({ activityId: activity.id, status: 'enrolled', pageSize: 100 }),
  );
  const groups = useQuery(trpc.groups.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const record = useMutation(
    trpc.events.recordResults.mutationOptions({ onSettled: () => invalidate(trpc.events) }),
  );
  const places = [
    ...new Set([
      ...event.prizes.map((prize) => prize.place),
      ...event.results.map((result) => result.place),
      ...(event.prizes.length ? [] : [1, 2, 3]),
    ]),
  ].sort((a, b) => a - b);
  const options = [
    { value: '', label: 'Nobody' },
    ...(groups.data?.items ?? []).map((group) => ({ value: `g${group.id}`, label: `Group: ${group.name}` })),
    ...(participants.data?.items ?? []).map((p) => ({ value: `s${p.studentId}`, label: p.name })),
  ];
  const current = (place: number) => {
    const result = event.results.find((r) => r.place === place);
    if (!result) return '';
    if (result.groupId) return `g${result.groupId}`;
    return 'studentId' in result ? `s${result.studentId}` : '';
  };
  const form = useZodForm(eventResultsInput, (input) => record.mutateAsync(input));

  if (participants.isPending || groups.isPending)
    return (
      <p className="muted" role="status">
        Loading the participants…
      </p>
    );
  return (
    <form
      noValidate
      className="grid-form"
      onSubmit={form.onSubmit((data) => ({
        eventId: event.id,
        results: places.flatMap((place) => {
          const winner = text(data, `place-${place}`);
          if (!winner) return [];
          const id = Number(winner.slice(1));
          return [winner.startsWith('g') ? { place, groupId: id } : { place, studentId: id }];
        }),
      }))}
    >
      {places.map((place) => (
        <SelectField
          key={`${place}-${current(place)}`}
          form={form}
          name={`place-${place}`}
          label={`${ordinal(place)} place`}
          options={options}
          defaultValue={current(place)}
        />
      ))}
      <ErrorText error={participants.error ?? groups.error} />
      {record.isSuccess && <Notice>The results of {event.name} are saved.</Notice>}
      <FormFooter form={form} label={`Save results of ${event.name}`} />
    </form>
  );
}

// ---- groups

/** The members with their ids, as signed-in callers (teachers) get them: a visitor's answer has none. */
const withStudentIds = (members: readonly object[]) =>
  members.filter((member): member is GroupDto['members'][number] => 'studentId' in member);

function GroupTools({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const groups = useQuery(trpc.groups.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const remove = useMutation(
    trpc.groups.delete.mutationOptions({ onSettled: () => invalidate(trpc.groups) }),
  );
  const removeMember = useMutation(
    trpc.groups.removeMember.mutationOptions({ onSettled: () => invalidate(trpc.groups) }),
  );
  return (
    <section aria-labelledby="group-tools-heading">
      <h3 id="group-tools-heading">Manage groups</h3>
      <QueryView query={groups} what="groups" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list">
            {page.items.map((group) => (
              <li key={group.id} className="card">
                <h4>{group.name}</h4>
                <ul>
                  {withStudentIds(group.members).map((member) => (
                    <li key={member.studentId}>
                      {member.name}
                      {member.role === 'leader' ? (
                        // The API refuses removing a leader: the leader hands over or leaves first.
                        ' (leader)'
                      ) : (
                        <ConfirmButton
                          label="Remove"
                          target={`${member.name} from ${group.name}`}
                          question={`Remove ${member.name} from ${group.name}?`}
                          disabled={removeMember.isPending}
                          onConfirm={() =>
                            removeMember.mutate({ groupId: group.id, studentId: member.studentId })
                          }
                        />
                      )}
                    </li>
                  ))}
                </ul>
                <ConfirmButton
                  label="Delete"
                  target={`group ${group.name}`}
                  question={`Delete the group ${group.name}?`}
                  disabled={remove.isPending}
                  onConfirm={() => remove.mutate({ groupId: group.id })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={remove.error ?? removeMember.error} />
    </section>
  );
}

// ---- feedback, hidden reviews too

function FeedbackModeration({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const reviews = useQuery(trpc.feedback.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  const setHidden = useMutation(
    trpc.feedback.setHidden.mutationOptions({ onSettled: () => invalidate(trpc.feedback, trpc.activities) }),
  );
  return (
    <section aria-labelledby="moderation-heading">
      <h3 id="moderation-heading">Moderate reviews</h3>
      <QueryView
        query={reviews}
        what="reviews"
        isEmpty={(page) => page.items.length === 0}
        empty="No reviews yet."
      >
        {(page) => (
          <ul className="list">
            {page.items.map((review) => (
              <li key={review.id} className="card">
                <p>
                  <Stars rating={review.rating} /> {review.student.name}{' '}
                  {review.hidden && <span className="tag">Hidden</span>}
                </p>
                {review.review && <p>{review.review}</p>}
                <ActionButton
                  label={review.hidden ? 'Show' : 'Hide'}
                  target={`the review by ${review.student.name}`}
                  disabled={setHidden.isPending}
                  onClick={() => setHidden.mutate({ id: review.id, hidden: !review.hidden })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <ErrorText error={setHidden.error} />
    </section>
  );
}
