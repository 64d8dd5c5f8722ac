import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInvalidate } from '../../lib/queries.ts';
import { ordinal } from '../../lib/format.ts';
import { eventResultsInput, type RouterOutputs } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { FormFooter, SelectField, text, useZodForm } from '../../ui/form.tsx';
import { ErrorText, Notice } from '../../ui/states.tsx';

type Activity = RouterOutputs['activities']['get'];
type Event = RouterOutputs['events']['list']['items'][number];

/** Who won which place: an enrolled student or a group of the activity, per prize place, each once. */
export function RecordResultsForm({ activity, event }: { activity: Activity; event: Event }) {
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
    { value: '', label: 'No winner' },
    ...(groups.data?.items ?? []).map((group) => ({ value: `g${group.id}`, label: `Group: ${group.name}` })),
    ...(participants.data?.items ?? []).map((p) => ({ value: `s${p.studentId}`, label: p.name })),
  ];
  const current = (place: number) => {
    const result = event.results.find((r) => r.place === place);
    if (!result) return '';
    if (result.groupId) return `g${result.groupId}`;
    return 'studentId' in result ? `s${result.studentId}` : '';
  };
  // A winner takes one place only (the API refuses more): one chosen for a place is not offered for others.
  const [chosen, setChosen] = useState<Record<number, string>>(() =>
    Object.fromEntries(places.map((place) => [place, current(place)])),
  );
  const optionsFor = (place: number) => {
    const taken = new Set(places.filter((other) => other !== place).map((other) => chosen[other]));
    return options.filter((option) => option.value === '' || !taken.has(option.value));
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
          key={place}
          form={form}
          name={`place-${place}`}
          label={`${ordinal(place)} place`}
          options={optionsFor(place)}
          value={chosen[place] ?? ''}
          onChange={(change) => setChosen({ ...chosen, [place]: change.target.value })}
        />
      ))}
      <ErrorText error={participants.error ?? groups.error} />
      {record.isSuccess && <Notice key={record.submittedAt}>The results of {event.name} are saved.</Notice>}
      <FormFooter form={form} label={`Save results of ${event.name}`} />
    </form>
  );
}
