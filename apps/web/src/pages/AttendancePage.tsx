import { useMutation, useQuery } from '@tanstack/react-query';
import { formatDate, formatDay } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { closureCreateInput } from '../lib/shared.ts';
import { isAdmin, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ConfirmButton } from '../ui/buttons.tsx';
import { FormFooter, text, TextField, thenReset, useZodForm } from '../ui/form.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** Teachers' and admins' attendance screen: the students to follow up; admins also keep the school closures. */
export default function AttendancePage() {
  const user = useUser();
  return (
    <>
      <PageHeading>Attendance</PageHeading>
      <FollowUp />
      <Closures editable={isAdmin(user)} />
    </>
  );
}

function FollowUp() {
  const trpc = useTRPC();
  const alerts = useQuery(trpc.attendance.alerts.queryOptions());
  return (
    <section aria-labelledby="follow-up-heading">
      <h2 id="follow-up-heading">Students to follow up</h2>
      <QueryView query={alerts} what="the follow-up list">
        {(data) => (
          <>
            <p className="muted">
              Students with {data.absences} or more unexcused absences in the last {data.days} days.
            </p>
            {data.students.length === 0 ? (
              <p>Nobody at the moment.</p>
            ) : (
              <Table
                caption="Students to follow up"
                columns={['Student', 'Grade', 'Unexcused absences', 'Last absence', 'Activities']}
              >
                {data.students.map((student) => (
                  <tr key={student.studentId}>
                    <th scope="row">{student.name}</th>
                    <td>{student.grade ?? '–'}</td>
                    <td>{student.unexcused}</td>
                    <td>{formatDate(student.lastAbsence)}</td>
                    <td>{student.activities.join(', ')}</td>
                  </tr>
                ))}
              </Table>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

const closureDays = (closure: { startsOn: string; endsOn: string }) =>
  closure.startsOn === closure.endsOn
    ? formatDay(closure.startsOn)
    : `${formatDay(closure.startsOn)} to ${formatDay(closure.endsOn)}`;

/** No-school days and ranges: the schedule's meetings on them are left out. */
function Closures({ editable }: { editable: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const changed = () => invalidate(trpc.closures, trpc.meetings);
  const closures = useQuery(trpc.closures.list.queryOptions());
  const create = useMutation(trpc.closures.create.mutationOptions({ onSuccess: changed }));
  const remove = useMutation(trpc.closures.delete.mutationOptions({ onSuccess: changed }));
  const form = useZodForm(closureCreateInput, thenReset(create.mutateAsync));
  return (
    <section aria-labelledby="closures-heading">
      <h2 id="closures-heading">School closures</h2>
      <p className="muted">Days without school: no activity meets on them.</p>
      <QueryView query={closures} what="closures" isEmpty={(list) => list.length === 0} empty="No closures.">
        {(list) => (
          <Table
            caption="School closures"
            columns={editable ? ['Days', 'Reason', 'Actions'] : ['Days', 'Reason']}
          >
            {list.map((closure) => (
              <tr key={closure.id}>
                <th scope="row">{closureDays(closure)}</th>
                <td>{closure.reason || '–'}</td>
                {editable && (
                  <td>
                    <ConfirmButton
                      label="Delete"
                      target={`the closure ${closureDays(closure)}`}
                      question={`Delete the closure ${closureDays(closure)}?`}
                      consequence="Activities meet on these days again."
                      disabled={remove.isPending}
                      onConfirm={() => remove.mutate({ id: closure.id })}
                    />
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
      <ErrorText error={remove.error} />
      {editable && (
        <form
          noValidate
          className="grid-form"
          onSubmit={form.onSubmit((data) => ({
            startsOn: text(data, 'startsOn') ?? '',
            endsOn: text(data, 'endsOn'),
            reason: text(data, 'reason') ?? '',
          }))}
        >
          <TextField form={form} name="startsOn" label="First day" type="date" required />
          <TextField
            form={form}
            name="endsOn"
            label="Last day (optional)"
            type="date"
            hint="Leave empty for a single day."
          />
          <TextField form={form} name="reason" label="Reason (optional)" maxLength={200} />
          {create.isSuccess && (
            <Notice key={create.submittedAt}>
              The closure {closureDays(create.data)} is added: no activity meets then.
            </Notice>
          )}
          <FormFooter form={form} label="Add closure" />
        </form>
      )}
    </section>
  );
}
