import { useMutation, useQuery } from '@tanstack/react-query';
import { formatDay } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { committeeCreateInput, positionAssignInput, type RouterOutputs } from '../lib/shared.ts';
import { isTeacher, useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ConfirmButton } from '../ui/buttons.tsx';
import { FormFooter, thenReset, number, text, TextAreaField, TextField, useZodForm } from '../ui/form.tsx';
import { StudentPicker } from '../ui/StudentPicker.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

type Committee = RouterOutputs['committees']['list']['items'][number];
type Position = RouterOutputs['positions']['history'][number];

/** Today as the API's days are written, YYYY-MM-DD, in the local time zone. */
const today = () => new Date().toLocaleDateString('en-CA');

/**
 * Committees, who holds their positions today and who held them before; teachers create committees, assign
 * and end terms.
 */
export default function CommitteesPage() {
  const trpc = useTRPC();
  const user = useUser();
  const committees = useQuery(trpc.committees.list.queryOptions({ pageSize: 100 }));
  const terms = useQuery(trpc.positions.history.queryOptions({}));
  const teacher = isTeacher(user);
  const byCommittee = new Map<number, Position[]>();
  for (const position of terms.data ?? []) {
    const list = byCommittee.get(position.committee.id) ?? [];
    list.push(position);
    byCommittee.set(position.committee.id, list);
  }

  return (
    <>
      <PageHeading>Committees</PageHeading>
      {teacher && (
        <details className="card">
          <summary>New committee</summary>
          <CommitteeForm />
        </details>
      )}
      <QueryView query={committees} what="committees" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <ul className="list" aria-label="Committees">
            {page.items.map((committee) => (
              <li key={committee.id} className="card">
                <h2>{committee.name}</h2>
                {committee.description && <p>{committee.description}</p>}
                <QueryView query={terms} what="position holders">
                  {() => {
                    const positions = byCommittee.get(committee.id) ?? [];
                    return (
                      <>
                        <Holders positions={positions.filter((p) => p.current)} canEnd={teacher} />
                        <FormerHolders committee={committee} positions={positions.filter((p) => p.ended)} />
                      </>
                    );
                  }}
                </QueryView>
                {teacher && (
                  <details>
                    <summary>
                      Assign a position<span className="visually-hidden"> in {committee.name}</span>
                    </summary>
                    <AssignForm committee={committee} />
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </>
  );
}

function Holders({ positions, canEnd }: { positions: Position[]; canEnd: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const changed = { onSettled: () => invalidate(trpc.positions) };
  const end = useMutation(trpc.positions.endTerm.mutationOptions(changed));
  const remove = useMutation(trpc.positions.delete.mutationOptions(changed));
  // The API ends a term on its own (UTC) today.
  const apiToday = new Date().toISOString().slice(0, 10);
  if (positions.length === 0) return <p className="muted">No positions held at the moment.</p>;
  return (
    <>
      <ul className="holders">
        {positions.map((position) => (
          <li key={position.id}>
            <strong>{position.positionName}</strong>: {position.student.name}{' '}
            <span className="muted">
              (since {formatDay(position.termStart)}
              {position.termEnd && `, until ${formatDay(position.termEnd)}`})
            </span>{' '}
            {canEnd &&
              // A term's end date is the first day it is not held, so one that began today cannot end
              // today: it is withdrawn instead.
              (position.termStart >= apiToday ? (
                <ConfirmButton
                  label="Withdraw"
                  target={`${position.student.name} as ${position.positionName}`}
                  question={`Withdraw ${position.student.name} as ${position.positionName}? The term began today.`}
                  disabled={remove.isPending}
                  onConfirm={() => remove.mutate({ id: position.id })}
                />
              ) : (
                <ConfirmButton
                  label="End term"
                  target={`of ${position.student.name} as ${position.positionName}`}
                  question={`End ${position.student.name}'s term as ${position.positionName} today?`}
                  disabled={end.isPending}
                  onConfirm={() => end.mutate({ id: position.id })}
                />
              ))}
          </li>
        ))}
      </ul>
      <ErrorText error={end.error ?? remove.error} />
    </>
  );
}

/** Terms that are over, newest first within each position: the position's history stays readable. */
function FormerHolders({ committee, positions }: { committee: Committee; positions: Position[] }) {
  if (positions.length === 0) return null;
  const headingId = `former-holders-${committee.id}`;
  return (
    <>
      <h3 id={headingId}>
        Former holders<span className="visually-hidden"> of {committee.name}</span>
      </h3>
      <ul className="holders" aria-labelledby={headingId}>
        {positions.map((position) => (
          <li key={position.id}>
            <strong>{position.positionName}</strong>: {position.student.name}{' '}
            <span className="muted">
              (from {formatDay(position.termStart)} until {formatDay(position.termEnd!)})
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function CommitteeForm() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const create = useMutation(
    trpc.committees.create.mutationOptions({ onSettled: () => invalidate(trpc.committees) }),
  );
  const form = useZodForm(committeeCreateInput, thenReset(create.mutateAsync));
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((data) => ({
        name: text(data, 'name') ?? '',
        description: text(data, 'description') ?? '',
      }))}
    >
      <TextField form={form} name="name" label="Committee name" maxLength={120} required />
      <TextAreaField form={form} name="description" label="Description (optional)" maxLength={5000} />
      {create.isSuccess && (
        <Notice key={create.submittedAt}>The committee {create.data.name} is created.</Notice>
      )}
      <FormFooter form={form} label="Create committee" />
    </form>
  );
}

function AssignForm({ committee }: { committee: Committee }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const assign = useMutation(
    trpc.positions.assign.mutationOptions({ onSettled: () => invalidate(trpc.positions) }),
  );
  const form = useZodForm(positionAssignInput, thenReset(assign.mutateAsync));
  return (
    <form
      noValidate
      className="grid-form"
      onSubmit={form.onSubmit((data) => ({
        committeeId: committee.id,
        studentId: number(data, 'studentId'),
        positionName: text(data, 'positionName') ?? '',
        termStart: text(data, 'termStart') ?? '',
        termEnd: text(data, 'termEnd', null),
      }))}
    >
      <div className="wide">
        <StudentPicker form={form} />
      </div>
      <TextField
        form={form}
        name="positionName"
        label="Position"
        maxLength={120}
        hint="President, Secretary…"
        required
      />
      <TextField
        form={form}
        name="termStart"
        label="Term starts"
        type="date"
        defaultValue={today()}
        required
      />
      <TextField form={form} name="termEnd" label="Term ends (optional)" type="date" />
      {assign.isSuccess && (
        <Notice key={assign.submittedAt}>
          {assign.data.student.name} is {assign.data.positionName} of {committee.name}.
        </Notice>
      )}
      <FormFooter form={form} label={`Assign in ${committee.name}`} />
    </form>
  );
}
