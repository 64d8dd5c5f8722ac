import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useInvalidate } from '../../lib/queries.ts';
import { parseCents } from '../../lib/format.ts';
import { eventCreateInput } from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ActionButton } from '../../ui/buttons.tsx';
import {
  FormFooter,
  number,
  SelectField,
  text,
  TextAreaField,
  TextField,
  useZodForm,
  type ZodForm,
} from '../../ui/form.tsx';
import { Notice } from '../../ui/states.tsx';

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

/** A new event of the activity, with its prizes and judges. */
export function NewEventForm({ activityId }: { activityId: number }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const prizes = useRows(0);
  const judges = useRows(0);
  const [created, setCreated] = useState<string | null>(null);
  const teachers = useQuery(trpc.teachers.names.queryOptions());
  const teacherOptions = [
    { value: OTHER_JUDGE, label: 'Someone else (type the name)' },
    ...(teachers.data ?? []).map((teacher) => ({ value: String(teacher.id), label: teacher.name })),
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
