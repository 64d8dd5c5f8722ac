import {
  useId,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import type { z } from 'zod';
import { ErrorMessage, ErrorText } from './states.tsx';
import { apiFieldErrors, fieldErrorsOf, type FieldErrors } from '../lib/errors.ts';

export interface ZodForm {
  errors: FieldErrors;
  /** The failed submit's error, other than field errors (`ErrorText` words it); null when none. */
  formError: unknown;
  pending: boolean;
  /** The form's submit handler: read the fields, validate them with the schema, then submit. */
  onSubmit: (read: (data: FormData) => unknown) => (event: FormEvent<HTMLFormElement>) => void;
}

/**
 * A form validated by one of the API's own zod schemas before it is sent; what the API refuses anyway
 * comes back as field errors beside the same fields. Once shown, a field's error goes as soon as the field is
 * changed to a value the schema accepts (or changes its words, while it is still wrong); a field that becomes
 * wrong is only said to be at the next submit, not while it is typed.
 */
export function useZodForm<S extends z.ZodType>(
  schema: S,
  submit: (input: z.output<S>, form: HTMLFormElement) => Promise<unknown>,
): ZodForm {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  // How the last submit read the form, and the form element whose changes are watched since.
  const reader = useRef<(data: FormData) => unknown>(() => ({}));
  const watched = useRef<HTMLFormElement | null>(null);

  // One listener on the form hears every control, including those built outside this file (StudentPicker,
  // stars, rows of a group), by the name the errors are keyed by.
  const watch = (form: HTMLFormElement) => {
    if (watched.current === form) return;
    watched.current = form;
    form.addEventListener('input', (event) => {
      const name = (event.target as HTMLInputElement).name;
      if (!name) return;
      const parsed = schema.safeParse(reader.current(new FormData(form)));
      const still = parsed.success ? undefined : fieldErrorsOf(parsed.error.issues)[name];
      setErrors((current) => {
        if (!current[name]) return current;
        const { [name]: _fixed, ...others } = current;
        return still ? { ...others, [name]: still } : others;
      });
    });
  };

  const onSubmit = (read: (data: FormData) => unknown) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    reader.current = read;
    watch(form);
    const parsed = schema.safeParse(read(new FormData(form)));
    setFormError(null);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    setPending(true);
    submit(parsed.data, form)
      .catch((error: unknown) => {
        const fields = apiFieldErrors(error);
        if (fields) {
          setErrors(fields);
          focusFirstInvalid(form);
        } else setFormError(error);
      })
      .finally(() => setPending(false));
  };
  return { errors, formError, pending, onSubmit };
}

/** A submit that empties the form once it succeeded: `useZodForm(schema, thenReset(create.mutateAsync))`. */
export const thenReset =
  <I,>(submit: (input: I) => Promise<unknown>) =>
  async (input: I, form: HTMLFormElement) => {
    await submit(input);
    form.reset();
  };

// After React has rendered the errors, so that a screen reader reads the field with its message.
function focusFirstInvalid(form: HTMLFormElement) {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

// ---- fields: a label, the control, a hint and its errors, tied together for screen readers

interface FieldProps {
  form: ZodForm;
  name: string;
  label: string;
  hint?: string;
}

function useFieldIds(form: ZodForm, name: string, hint?: string) {
  const id = useId();
  const messages = form.errors[name];
  const described = [hint && `${id}-hint`, messages && `${id}-error`].filter(Boolean).join(' ');
  return {
    id,
    messages,
    control: {
      id,
      name,
      'aria-invalid': messages ? true : undefined,
      'aria-describedby': described || undefined,
    },
  };
}

function FieldShell({
  id,
  label,
  hint,
  messages,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  messages?: string[];
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {messages && (
        <small id={`${id}-error`} className="field-error">
          {messages.join('; ')}
        </small>
      )}
    </div>
  );
}

export function TextField({
  form,
  name,
  label,
  hint,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name'>) {
  const { id, messages, control } = useFieldIds(form, name, hint);
  return (
    <FieldShell id={id} label={label} hint={hint} messages={messages}>
      <input {...input} {...control} />
    </FieldShell>
  );
}

export function TextAreaField({
  form,
  name,
  label,
  hint,
  ...input
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'form' | 'name'>) {
  const { id, messages, control } = useFieldIds(form, name, hint);
  return (
    <FieldShell id={id} label={label} hint={hint} messages={messages}>
      <textarea rows={4} {...input} {...control} />
    </FieldShell>
  );
}

export function SelectField({
  form,
  name,
  label,
  hint,
  options,
  ...select
}: FieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'form' | 'name'> & {
    options: readonly { value: string; label: string }[];
  }) {
  const { id, messages, control } = useFieldIds(form, name, hint);
  return (
    <FieldShell id={id} label={label} hint={hint} messages={messages}>
      <select {...select} {...control}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A set of checkboxes sharing one name, e.g. the days of a schedule. */
export function CheckboxGroup({
  form,
  name,
  label,
  hint,
  options,
  defaultValues = [],
}: FieldProps & { options: readonly { value: string; label: string }[]; defaultValues?: readonly string[] }) {
  const id = useId();
  const messages = form.errors[name];
  return (
    <fieldset className="field" aria-describedby={messages ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      <div className="checkbox-row">
        {options.map((option) => (
          <label key={option.value} className="checkbox">
            <input
              type="checkbox"
              name={name}
              value={option.value}
              defaultChecked={defaultValues.includes(option.value)}
              aria-invalid={messages ? true : undefined}
            />
            {option.label}
          </label>
        ))}
      </div>
      {hint && <small className="hint">{hint}</small>}
      {messages && (
        <small id={`${id}-error`} className="field-error">
          {messages.join('; ')}
        </small>
      )}
    </fieldset>
  );
}

export function FormFooter({ form, label }: { form: ZodForm; label: string }) {
  return (
    <div className="form-footer">
      <ErrorText error={form.formError} />
      {form.errors['(input)'] && <ErrorMessage>{form.errors['(input)'].join('; ')}</ErrorMessage>}
      <button type="submit" disabled={form.pending}>
        {form.pending ? 'Saving…' : label}
      </button>
    </div>
  );
}

// ---- reading FormData into the shapes the schemas expect

/** A text field; empty becomes `empty` (undefined: left out, null: cleared). */
export function text(data: FormData, name: string, empty: null | undefined = undefined) {
  const value = data.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value : empty;
}
/** A number field, NaN when it is not one (the schema then says so), `empty` when blank. */
export function number(data: FormData, name: string, empty: null | undefined = undefined) {
  const value = text(data, name);
  return value === undefined ? empty : Number(value);
}
export const checked = (data: FormData, name: string) => data.get(name) === 'on';
export const all = (data: FormData, name: string) => data.getAll(name).map(String);
