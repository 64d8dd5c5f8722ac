import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime, labelOf } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { ROUND_MODES, roundCreateInput, roundUpdateInput, type RouterOutputs } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { BarChart } from '../ui/BarChart.tsx';
import { ActionButton, ConfirmButton } from '../ui/buttons.tsx';
import {
  checked,
  CheckboxGroup,
  FormFooter,
  number,
  SelectField,
  text,
  TextField,
  useZodForm,
  all,
} from '../ui/form.tsx';
import { StudentPicker } from '../ui/StudentPicker.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';

type Round = RouterOutputs['rounds']['list'][number];
type Preview = RouterOutputs['rounds']['preview'];

const MODE_OPTIONS = ROUND_MODES.map((mode) => ({ value: mode, label: labelOf(mode) }));
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Admins set up signup rounds and run their lotteries. */
export default function RoundsPage() {
  const trpc = useTRPC();
  const rounds = useQuery(trpc.rounds.list.queryOptions());
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  const round = rounds.data?.find((r) => r.id === selected);
  return (
    <>
      <h1>Signup rounds</h1>
      <QueryView query={rounds} what="rounds" isEmpty={(list) => list.length === 0}>
        {(list) => (
          <Table caption="Signup rounds" columns={['Round', 'Mode', 'Opens', 'Closes', 'Status', 'Actions']}>
            {list.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.name}</th>
                <td>{labelOf(r.mode)}</td>
                <td>{r.opensAtLocal.replace('T', ' ')}</td>
                <td>{r.closesAtLocal.replace('T', ' ')}</td>
                <td>{r.publishedAt ? 'Published' : labelOf(r.phase)}</td>
                <td>
                  <ActionButton label="Manage" target={r.name} onClick={() => setSelected(r.id)} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
      <p>
        <button type="button" onClick={() => setSelected('new')}>
          New round
        </button>
      </p>
      {selected === 'new' && <RoundForm onSaved={(id) => setSelected(id)} />}
      {round && (
        <>
          {!round.publishedAt && <RoundForm key={`${round.id}-${round.version}`} round={round} onSaved={setSelected} />}
          {round.mode === 'lottery' && <Allocation round={round} />}
        </>
      )}
    </>
  );
}

function RoundForm({ round, onSaved }: { round?: Round; onSaved: (id: number) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const activities = useQuery(trpc.activities.list.queryOptions({ pageSize: 500 }));
  const changed = { onSettled: () => invalidate(trpc.rounds) };
  const create = useMutation(trpc.rounds.create.mutationOptions(changed));
  const update = useMutation(trpc.rounds.update.mutationOptions(changed));
  const form = useZodForm(round ? roundUpdateInput : roundCreateInput, async (input) => {
    const saved = round
      ? await update.mutateAsync(input as Parameters<typeof update.mutateAsync>[0])
      : await create.mutateAsync(input as Parameters<typeof create.mutateAsync>[0]);
    onSaved(saved.id);
  });
  const heading = round ? `Edit ${round.name}` : 'New round';
  return (
    <section aria-labelledby="round-form-heading">
      <h2 id="round-form-heading">{heading}</h2>
      <form
        noValidate
        onSubmit={form.onSubmit((data) => ({
          ...(round ? { id: round.id, version: round.version } : {}),
          name: text(data, 'name'),
          mode: text(data, 'mode'),
          opensAt: text(data, 'opensAt'),
          closesAt: text(data, 'closesAt'),
          openingWindowSeconds: number(data, 'openingWindowSeconds') ?? 0,
          maxPerStudent: number(data, 'maxPerStudent', null),
          noOverlap: checked(data, 'noOverlap'),
          maxChoices: number(data, 'maxChoices') ?? 5,
          seniorsFirst: checked(data, 'seniorsFirst'),
          termStart: text(data, 'termStart', null),
          termEnd: text(data, 'termEnd', null),
          activities: all(data, 'activities').map((id) => ({ activityId: Number(id), minParticipants: null })),
        }))}
      >
        <TextField form={form} name="name" label="Name" defaultValue={round?.name} />
        <SelectField form={form} name="mode" label="Mode" options={MODE_OPTIONS} defaultValue={round?.mode} />
        <TextField
          form={form}
          name="opensAt"
          label="Opens at"
          type="datetime-local"
          hint={`School time (${round?.timeZone ?? 'the school’s time zone'})`}
          defaultValue={round?.opensAtLocal}
        />
        <TextField form={form} name="closesAt" label="Closes at" type="datetime-local" defaultValue={round?.closesAtLocal} />
        <TextField
          form={form}
          name="openingWindowSeconds"
          label="Opening draw window (seconds)"
          type="number"
          hint="First come: signups in this many seconds after opening are placed in a random order (0: none)"
          defaultValue={round?.openingWindowSeconds ?? 60}
        />
        <TextField
          form={form}
          name="maxPerStudent"
          label="Most activities per student"
          type="number"
          defaultValue={round?.maxPerStudent ?? ''}
        />
        <TextField form={form} name="maxChoices" label="Choices a student may rank" type="number" defaultValue={round?.maxChoices ?? 5} />
        <label className="checkbox">
          <input type="checkbox" name="noOverlap" defaultChecked={round?.noOverlap} /> No overlapping schedules
        </label>
        <label className="checkbox">
          <input type="checkbox" name="seniorsFirst" defaultChecked={round?.seniorsFirst} /> Lottery: seniors first
        </label>
        <TextField form={form} name="termStart" label="Term starts" type="date" defaultValue={round?.termStart ?? ''} />
        <TextField form={form} name="termEnd" label="Term ends" type="date" defaultValue={round?.termEnd ?? ''} />
        <QueryView query={activities} what="activities">
          {(page) => (
            <CheckboxGroup
              form={form}
              name="activities"
              label="Activities in the round"
              options={page.items.map((a) => ({ value: String(a.id), label: a.name }))}
              defaultValues={round?.activities.map((a) => String(a.activityId)) ?? []}
            />
          )}
        </QueryView>
        <FormFooter form={form} label={round ? 'Save the round' : 'Create the round'} />
      </form>
    </section>
  );
}

/** Preview (nothing written), draw again, publish; then the under-subscribed activities and the why. */
function Allocation({ round }: { round: Round }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [preview, setPreview] = useState<Preview | null>(null);
  const changed = { onSettled: () => invalidate(trpc.rounds, trpc.activities) };
  const run = useMutation(trpc.rounds.preview.mutationOptions({ onSuccess: setPreview }));
  const publish = useMutation(trpc.rounds.publish.mutationOptions({ ...changed, onSuccess: setPreview }));
  const cancel = useMutation(trpc.rounds.cancelActivity.mutationOptions(changed));
  const under = round.activities.filter(
    (a) => !a.cancelled && a.minParticipants !== null && a.enrolledCount < a.minParticipants,
  );
  return (
    <section aria-labelledby="allocation-heading">
      <h2 id="allocation-heading">Allocation of {round.name}</h2>
      {round.publishedAt ? (
        <Notice>
          Published {formatDateTime(round.publishedAt)} (seed {round.lotterySeed}).
        </Notice>
      ) : (
        <div className="actions">
          <button type="button" disabled={run.isPending} onClick={() => run.mutate({ roundId: round.id })}>
            {preview ? 'Draw again' : 'Run the allocation (preview)'}
          </button>
          {preview && (
            <button
              type="button"
              disabled={publish.isPending}
              onClick={() => publish.mutate({ roundId: round.id, seed: preview.seed, inputDigest: preview.inputDigest })}
            >
              Publish this allocation
            </button>
          )}
        </div>
      )}
      <ErrorText error={run.error ?? publish.error ?? cancel.error} />
      {preview && <Statistics preview={preview} />}
      {round.publishedAt && (
        <>
          <h3>Under their minimum</h3>
          {under.length === 0 ? (
            <p className="muted">Every activity has its minimum.</p>
          ) : (
            <ul className="list">
              {under.map((a) => (
                <li key={a.activityId}>
                  {a.name}: {a.enrolledCount} of at least {a.minParticipants}{' '}
                  <ConfirmButton
                    label="Cancel"
                    target={a.name}
                    question={`Cancel ${a.name} and move its students to their next choices?`}
                    onConfirm={() => cancel.mutate({ roundId: round.id, activityId: a.activityId })}
                  />
                </li>
              ))}
            </ul>
          )}
          <Why roundId={round.id} />
        </>
      )}
    </section>
  );
}

function Statistics({ preview }: { preview: Preview }) {
  const s = preview.statistics;
  return (
    <>
      <p role="status">
        Seed {preview.seed}: {s.students} students ranked; {percent(s.firstChoiceShare)} got their first choice,{' '}
        {percent(s.anyChoiceShare)} got one of their choices, {s.unplaced} got none; {s.placements} places and{' '}
        {s.waitlistEntries} waitlist entries.
      </p>
      <Table caption="Fill per activity" columns={['Activity', 'Enrolled', 'Seats', 'Waitlisted', 'First choices', 'Minimum']}>
        {s.activities.map((a) => (
          <tr key={a.activityId}>
            <th scope="row">{a.name}</th>
            <td>{a.enrolled}</td>
            <td>{a.maxParticipants}</td>
            <td>{a.waitlisted}</td>
            <td>{a.firstChoices}</td>
            <td>{a.minParticipants === null ? '' : `${a.minParticipants}${a.underMinimum ? ' (under)' : ''}`}</td>
          </tr>
        ))}
      </Table>
      <BarChart
        title="Fill per activity"
        summary={`Seats taken per activity after this allocation; ${s.activities.filter((a) => a.underMinimum).length} under their minimum.`}
        max={1}
        labelHeading="Activity"
        valueHeading="Seats taken"
        bars={s.activities.map((a) => ({
          label: a.name,
          value: a.maxParticipants ? a.enrolled / a.maxParticipants : 0,
          valueText: `${a.enrolled} of ${a.maxParticipants}` + (a.waitlisted ? `, ${a.waitlisted} waiting` : ''),
        }))}
      />
    </>
  );
}

function Why({ roundId }: { roundId: number }) {
  const trpc = useTRPC();
  const [studentId, setStudentId] = useState<number | null>(null);
  const why = useQuery({
    ...trpc.rounds.why.queryOptions({ roundId, studentId: studentId ?? 1 }),
    enabled: studentId !== null,
  });
  const form = useZodForm(roundWhyStudent, async (input) => setStudentId(input.studentId));
  return (
    <>
      <h3>Why, per student</h3>
      <form noValidate onSubmit={form.onSubmit((data) => ({ studentId: number(data, 'studentId') }))}>
        <StudentPicker form={form} />
        <FormFooter form={form} label="Show why" />
      </form>
      {studentId !== null && (
        <QueryView query={why} what="the draw">
          {(data) => (
            <>
              <p>
                {ordinalPlace(data.drawPosition)} of {data.drawSize} in the draw.
              </p>
              <ol>
                {data.choices.map((c) => (
                  <li key={c.activityId}>{c.text}</li>
                ))}
              </ol>
            </>
          )}
        </QueryView>
      )}
    </>
  );
}
