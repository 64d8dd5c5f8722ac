import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { requestPasswordResetInput } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { FormFooter, text, TextField, useZodForm } from '../ui/form.tsx';
import { QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** Whom to ask when no link can be emailed (email is off). */
function AskTheOffice() {
  return (
    <p>
      Ask the school office: an admin can give you a temporary password. You log in with it and choose your
      own right away. Teachers ask an admin too.
    </p>
  );
}

/**
 * "Forgot your password?": with email on, a one-time link to the account's address (the answer never says
 * whether there is an account); with email off, whom to ask.
 */
export default function ForgotPasswordPage() {
  const trpc = useTRPC();
  const byEmail = useQuery(trpc.auth.passwordResetByEmail.queryOptions());
  return (
    <section className="narrow">
      <PageHeading>Forgot your password?</PageHeading>
      <QueryView query={byEmail} what="how to reset a password">
        {({ byEmail }) => (byEmail ? <RequestLinkForm /> : <AskTheOffice />)}
      </QueryView>
      <p>
        <Link href="/login">Back to log in</Link>
      </p>
    </section>
  );
}

function RequestLinkForm() {
  const trpc = useTRPC();
  const [as, setAs] = useState<'student' | 'teacher'>('student');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const form = useZodForm(requestPasswordResetInput, async (input) => {
    await request.mutateAsync(input);
    setSentTo(input.email);
  });
  if (sentTo) {
    return (
      <p role="status" className="notice notice-info">
        If an account exists for {sentTo}, we sent a link to it. The link works once, for one hour. Nothing
        arrived? Look in your spam folder, or ask the school office.
      </p>
    );
  }
  return (
    <form noValidate onSubmit={form.onSubmit((data) => ({ as, email: text(data, 'email') ?? '' }))}>
      <p>We email you a link to choose a new password.</p>
      <fieldset className="field">
        <legend>I am</legend>
        <div className="checkbox-row">
          {(['student', 'teacher'] as const).map((kind) => (
            <label key={kind} className="checkbox">
              <input type="radio" name="as" checked={as === kind} onChange={() => setAs(kind)} />
              {kind === 'student' ? 'a student' : 'a teacher or admin'}
            </label>
          ))}
        </div>
      </fieldset>
      <TextField form={form} name="email" label="Email" type="email" autoComplete="email" required />
      <FormFooter form={form} label="Send me a link" />
    </form>
  );
}
