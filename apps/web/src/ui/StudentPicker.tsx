import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useTRPC } from '../trpc.ts';
import type { ZodForm } from './form.tsx';

/**
 * Picks a student by searching names and emails (students.list): a search box, then a list of the matches.
 * The choice is a form field (`name`, the student's id as a number string), so the form reads it with
 * `number(data, name)` and shows the schema's and the API's errors for it here. With `signedUpFor` only the
 * students signed up for that activity are offered (null: no activity is chosen yet, so nobody is).
 */
export function StudentPicker({
  form,
  name = 'studentId',
  label = 'Student',
  signedUpFor,
}: {
  form?: ZodForm;
  name?: string;
  label?: string;
  signedUpFor?: number | null;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [search, setSearch] = useState('');
  const term = useDeferredValue(search.trim()).slice(0, 100);
  const waitsForActivity = signedUpFor === null;
  const students = useQuery({
    ...trpc.students.list.queryOptions({
      search: term || undefined,
      signedUpFor: signedUpFor ?? undefined,
      pageSize: 25,
    }),
    placeholderData: keepPreviousData,
    enabled: !waitsForActivity,
  });
  const messages = form?.errors[name];
  const items = waitsForActivity ? [] : (students.data?.items ?? []);
  const total = students.data?.total ?? 0;
  const prompt = waitsForActivity
    ? 'Choose the activity first'
    : students.isPending
      ? 'Loading students…'
      : students.isError
        ? 'Could not load the students'
        : total === 0
          ? signedUpFor
            ? 'No student signed up for the activity matches'
            : 'No student matches'
          : total > items.length
            ? `Choose one of the first ${items.length} of ${total} matches`
            : `Choose one of ${total} ${total === 1 ? 'match' : 'matches'}`;

  return (
    <fieldset className="field student-picker">
      <legend>{label}</legend>
      <label htmlFor={`${id}-search`} className="sub-label">
        Search by name or email
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={search}
        maxLength={100}
        autoComplete="off"
        onChange={(event) => setSearch(event.target.value)}
      />
      <label htmlFor={`${id}-choice`} className="sub-label">
        {label}
      </label>
      <select
        id={`${id}-choice`}
        name={name}
        defaultValue=""
        aria-invalid={messages ? true : undefined}
        aria-describedby={messages ? `${id}-error` : undefined}
      >
        <option value="">{prompt}</option>
        {items.map((student) => (
          <option key={student.id} value={student.id} data-name={student.name}>
            {student.name} ({student.email}
            {student.grade !== null && `, grade ${student.grade}`})
          </option>
        ))}
      </select>
      {messages && (
        <small id={`${id}-error`} className="field-error">
          {messages.join('; ')}
        </small>
      )}
    </fieldset>
  );
}
