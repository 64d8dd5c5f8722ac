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
import { ErrorMessage, ErrorText, Notice } from './states.tsx';
import { apiFieldErrors, fieldErrorsOf, type FieldErrors } from '../lib/errors.ts';

export interface ZodForm {
  errors: FieldErrors;
  /** The failed submission's error that is not about one field. */
  formError: unknown;
  /** What the last successful submission saved, said under the form (keyed by submission). */
  saved: { message: string; at: number } | null;
  pending: boolean;
  /**
   * After a refused submission, checks one field again as it is edited: its error goes as soon as the field
   * is valid (or changes to what is wrong now), without waiting for the next submit.
   */
  recheck: (name: string, form: HTMLFormElement | null) => void;
  /** The form's submit handler: read the fields, validate them with the schema, then submit. */
  onSubmit: (read: (data: FormData) => unknown) => (event: FormEvent<HTMLFormElement>) => void;
}

/**
 * A form validated by one of the API's own zod schemas before it is sent; what the API refuses anyway
 * comes back as field errors beside the same fields.
 */
export function useZodForm<S extends z.ZodType>(
  schema: S,
  submit: (input: z.output<S>, form: HTMLFormElement) => Promise<unknown>,
  /** The success message, for a form whose save shows nothing else (no new page, no notice of its own). */
  savedMessage?: (input: z.output<S>) => string,
): ZodForm {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [saved, setSaved] = useState<ZodForm['saved']>(null);
  const [pending, setPending] = useState(false);

  const lastRead = useRef<((data: FormData) => unknown) | null>(null);

  const recheck = (name: string, form: HTMLFormElement | null) => {
    if (!form || !lastRead.current || !errors[name]) return;
    const parsed = schema.safeParse(lastRead.current(new FormData(form)));
    const now = parsed.success ? undefined : fieldErrorsOf(parsed.error.issues)[name];
    setErrors((before) => {
      const { [name]: _, ...others } = before;
      return now ? { ...others, [name]: now } : others;
    });
  };

  const onSubmit = (read: (data: FormData) => unknown) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    lastRead.current = read;
    const form = event.currentTarget;
    const parsed = schema.safeParse(read(new FormData(form)));
    setFormError(null);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      focusFirstInvalid(form);
      return;
    }
    setErrors({});
    setSaved(null);
    setPending(true);
    submit(parsed.data, form)
      .then(() => {
        if (savedMessage) setSaved({ message: savedMessage(parsed.data), at: Date.now() });
      })
      .catch((error: unknown) => {
        const fields = apiFieldErrors(error);
        if (fields) {
          setErrors(fields);
          focusFirstInvalid(form);
        } else setFormError(error);
      })
      .finally(() => setPending(false));
  };
  return { errors, formError, saved, pending, recheck, onSubmit };
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

/** A control's own handler (if it has one), then the form's recheck of its field. */
const andRecheck =
  <E extends { currentTarget: { form: HTMLFormElement | null } }>(
    form: ZodForm,
    name: string,
    own?: (event: E) => void,
  ) =>
  (event: E) => {
    own?.(event);
    form.recheck(name, event.currentTarget.form);
  };

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
      <input {...input} {...control} onInput={andRecheck(form, name, input.onInput)} />
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
      <textarea rows={4} {...input} {...control} onInput={andRecheck(form, name, input.onInput)} />
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
      <select {...select} {...control} onChange={andRecheck(form, name, select.onChange)}>
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
    <fieldset
      className="field"
      aria-describedby={messages ? `${id}-error` : undefined}
      onChange={(event) => form.recheck(name, event.currentTarget.form)}
    >
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
      {form.saved && <Notice key={form.saved.at}>{form.saved.message}</Notice>}
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
