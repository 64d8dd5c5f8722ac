import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, rosterStatusText } from '../../lib/format.ts';
import {
  GRADES,
  participantAddInput,
  participantNewStudentInput,
  type RouterOutputs,
} from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ConfirmButton } from '../../ui/buttons.tsx';
import { FormFooter, number, SelectField, text, TextField, useZodForm } from '../../ui/form.tsx';
import { Pager } from '../../ui/Pager.tsx';
import { StudentPicker } from '../../ui/StudentPicker.tsx';
import { Table } from '../../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../../ui/states.tsx';
import { useSeatsChanged } from '../signup.tsx';

type Activity = RouterOutputs['activities']['get'];
type SignupResult = RouterOutputs['participants']['add'];

const GRADE_OPTIONS = [
  { value: '', label: 'No grade' },
  ...GRADES.map((grade) => ({ value: String(grade), label: `Grade ${grade}` })),
];

const PARTICIPANT_PAGE = 50;

/**
 * Who is enrolled and who waits, a page at a time; add a student picked from the school's students, or create
 * the account of one who is not there yet (a separate form, so a typo in an email creates nobody), or remove
 * one; the way to bulk changes.
 */
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
  const addNew = useMutation(trpc.participants.addNewStudent.mutationOptions({ onSettled: seatsChanged }));
  const added = (name: string, result: SignupResult) =>
    setNotice(
      result.status === 'enrolled'
        ? `${name} is enrolled in ${activity.name}.`
        : result.status === 'in_draw'
          ? `${name} is in the opening draw of ${activity.name}.`
          : `${activity.name} is full: ${name} is number ${result.waitlistPosition} on the waitlist.`,
    );
  const [askReason, setAskReason] = useState(false);
  const pickForm = useZodForm(participantAddInput, async (input, element) => {
    const picked = element.querySelector<HTMLSelectElement>('select[name="studentId"]');
    const name = picked?.selectedOptions[0]?.dataset.name ?? 'The student';
    try {
      added(name, await add.mutateAsync(input));
    } catch (error) {
      // Past a signup round's limits: the API spells them out and asks for a reason, which the field gives.
      if (messageOf(error).includes('State a reason')) setAskReason(true);
      throw error;
    }
    element.reset();
    setAskReason(false);
  });
  const [newEmail, setNewEmail] = useState('');
  const newForm = useZodForm(participantNewStudentInput, async (input, element) => {
    added(input.name, await addNew.mutateAsync(input));
    element.reset();
    setNewEmail('');
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
      <h2 id="participants-heading">Participants and waitlist</h2>
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
                  <td>{rosterStatusText(participant.status, participant.waitlistPosition)}</td>
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
      {notice && <Notice key={notice}>{notice}</Notice>}
      <form
        className="inline-form"
        noValidate
        onSubmit={pickForm.onSubmit((data) => ({
          activityId: activity.id,
          studentId: number(data, 'studentId'),
          overrideReason: text(data, 'overrideReason'),
        }))}
      >
        <StudentPicker form={pickForm} label="Add a student" />
        {askReason && (
          <TextField
            form={pickForm}
            name="overrideReason"
            label="Reason to go past the round's limits"
            hint="Stored with your name and the limits it breaks"
            maxLength={500}
          />
        )}
        <FormFooter form={pickForm} label="Add student" />
      </form>
      <details className="card">
        <summary>The student is not in the list</summary>
        <form
          className="grid-form"
          noValidate
          onSubmit={newForm.onSubmit((data) => ({
            activityId: activity.id,
            email: text(data, 'email') ?? '',
            name: text(data, 'name') ?? '',
            grade: number(data, 'grade', null),
          }))}
        >
          <TextField
            form={newForm}
            name="email"
            label="School email"
            type="email"
            autoComplete="off"
            value={newEmail}
            onChange={(event) => setNewEmail(event.target.value)}
            required
          />
          <TextField
            form={newForm}
            name="name"
            label="Full name"
            autoComplete="off"
            maxLength={200}
            required
          />
          <SelectField form={newForm} name="grade" label="Grade" options={GRADE_OPTIONS} />
          <FormFooter
            form={newForm}
            label={`Create an account for ${newEmail.trim() || 'this student'} and add them`}
          />
        </form>
      </details>
      <p>
        <Link href={`/activities/${activity.id}/bulk`}>
          Bulk changes: add many students by email, move, copy or withdraw several
        </Link>
      </p>
    </section>
  );
}
