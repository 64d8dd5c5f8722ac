import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDate } from '../../lib/format.ts';
import { participantByEmailInput, type RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ConfirmButton } from '../../ui/buttons.tsx';
import { FormFooter, text, TextField, useZodForm } from '../../ui/form.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { Table } from '../../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../../ui/states.tsx';
import { useSeatsChanged } from '../signup.tsx';

type Activity = RouterOutputs['activities']['get'];

const PARTICIPANT_PAGE = 50;

/** Who is enrolled and who waits, a page at a time; add a student by email or remove one. */
export function ParticipantsAndWaitlist({ activity }: { activity: Activity }) {
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
