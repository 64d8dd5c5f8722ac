import { useMutation, useQuery } from '@tanstack/react-query';
import { useInvalidate } from '../lib/queries.ts';
import { roundCreateInput, roundUpdateInput } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { Table } from '../ui/Table.tsx';
import { all, checked, FormFooter, number, SelectField, text, TextField, useZodForm } from '../ui/form.tsx';
import { QueryView } from '../ui/states.tsx';
import type { Round } from './RoundsPage.tsx';

const MODE_OPTIONS = [
  { value: 'first_come', label: 'First come (with a fair opening draw)' },
  { value: 'lottery', label: 'Ranked lottery' },
];

/**
 * Creates a round, or edits one until it is published; the same schemas as the API check it first.
 * onSaved gets what to tell the admin: the form itself is replaced once the round has saved.
 */
export function RoundForm({
  round,
  onSaved,
}: {
  round?: Round;
  onSaved: (id: number, message: string) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const activities = useQuery(trpc.activities.list.queryOptions({ pageSize: 500 }));
  const changed = { onSettled: () => invalidate(trpc.rounds, trpc.activities) };
  const create = useMutation(trpc.rounds.create.mutationOptions(changed));
  const update = useMutation(trpc.rounds.update.mutationOptions(changed));
  const createForm = useZodForm(roundCreateInput, async (input) =>
    onSaved((await create.mutateAsync(input)).id, `${input.name} is created.`),
  );
  const updateForm = useZodForm(roundUpdateInput, async (input) => {
    const saved = await update.mutateAsync(input);
    onSaved(saved.id, `${saved.name} is saved.`);
  });
  const form = round ? updateForm : createForm;
  const minimums = new Map(round?.activities.map((a) => [a.activityId, a.minParticipants]));
  const heading = round ? `Edit ${round.name}` : 'New round';

  return (
    <section aria-labelledby="round-form-heading">
      <h2 id="round-form-heading">{heading}</h2>
      <form
        className="grid-form"
        noValidate
        onSubmit={form.onSubmit((data) => ({
          ...(round ? { id: round.id, version: round.version } : {}),
          name: text(data, 'name') ?? '',
          mode: text(data, 'mode'),
          opensAt: text(data, 'opensAt') ?? '',
          closesAt: text(data, 'closesAt') ?? '',
          openingWindowSeconds: number(data, 'openingWindowSeconds') ?? 0,
          maxPerStudent: number(data, 'maxPerStudent', null),
          noOverlap: checked(data, 'noOverlap'),
          maxChoices: number(data, 'maxChoices') ?? 5,
          seniorsFirst: checked(data, 'seniorsFirst'),
          termStart: text(data, 'termStart', null),
          termEnd: text(data, 'termEnd', null),
          activities: all(data, 'activities').map((id) => ({
            activityId: Number(id),
            minParticipants: number(data, `min-${id}`, null),
          })),
        }))}
      >
        <TextField form={form} name="name" label="Name" defaultValue={round?.name} maxLength={120} />
        <SelectField
          form={form}
          name="mode"
          label="Mode"
          options={MODE_OPTIONS}
          defaultValue={round?.mode ?? 'first_come'}
        />
        <TextField
          form={form}
          name="opensAt"
          label="Opens at"
          type="datetime-local"
          hint={`School time (${round?.timeZone ?? 'the school’s time zone'}); students are refused before it`}
          defaultValue={round?.opensAtLocal}
        />
        <TextField
          form={form}
          name="closesAt"
          label="Closes at"
          type="datetime-local"
          hint="School time; students are refused from then on (staff can still add)"
          defaultValue={round?.closesAtLocal}
        />
        <TextField
          form={form}
          name="openingWindowSeconds"
          label="Opening draw window (seconds)"
          type="number"
          min={0}
          max={3600}
          hint="First come: every signup this many seconds after opening counts as arriving at once, in a random order (0: none)"
          defaultValue={round?.openingWindowSeconds ?? 60}
        />
        <TextField
          form={form}
          name="maxPerStudent"
          label="Most activities per student (optional)"
          type="number"
          min={1}
          max={20}
          defaultValue={round?.maxPerStudent ?? ''}
        />
        <TextField
          form={form}
          name="maxChoices"
          label="Choices a student may rank"
          type="number"
          min={1}
          max={10}
          hint="Lottery only"
          defaultValue={round?.maxChoices ?? 5}
        />
        <label className="checkbox wide">
          <input type="checkbox" name="noOverlap" defaultChecked={round?.noOverlap} /> Refuse overlapping
          schedules
        </label>
        <label className="checkbox wide">
          <input type="checkbox" name="seniorsFirst" defaultChecked={round?.seniorsFirst} /> Lottery: higher
          grades drawn first
        </label>
        <TextField
          form={form}
          name="termStart"
          label="Term starts (optional)"
          type="date"
          defaultValue={round?.termStart ?? ''}
        />
        <TextField
          form={form}
          name="termEnd"
          label="Term ends (optional)"
          type="date"
          defaultValue={round?.termEnd ?? ''}
        />
        <fieldset className="field wide">
          <legend>Activities in the round</legend>
          <QueryView query={activities} what="activities" isEmpty={(page) => page.items.length === 0}>
            {(page) => (
              <Table caption="Activities in the round" columns={['Activity', 'In the round', 'Minimum']}>
                {page.items.map((activity) => (
                  <tr key={activity.id}>
                    <th scope="row">{activity.name}</th>
                    <td>
                      <input
                        type="checkbox"
                        name="activities"
                        value={activity.id}
                        aria-label={`${activity.name} is in the round`}
                        defaultChecked={minimums.has(activity.id)}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        name={`min-${activity.id}`}
                        min={1}
                        aria-label={`Minimum enrolment of ${activity.name} (optional)`}
                        defaultValue={minimums.get(activity.id) ?? ''}
                      />
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </QueryView>
          {form.errors['activities'] && (
            <small className="field-error">{form.errors['activities'].join('; ')}</small>
          )}
        </fieldset>
        <FormFooter form={form} label={round ? 'Save the round' : 'Create the round'} />
      </form>
    </section>
  );
}
