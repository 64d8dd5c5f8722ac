import { useMutation } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import { resetPasswordInput } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { FormFooter, TextField, useZodForm } from '../ui/form.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** The screen a reset link opens: a new password, once; every session of the account ends. */
export default function ResetPasswordPage() {
  const trpc = useTRPC();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const form = useZodForm(resetPasswordInput, (input) => reset.mutateAsync(input));
  return (
    <section className="narrow">
      <PageHeading>Choose a new password</PageHeading>
      {reset.isSuccess ? (
        <p role="status" className="notice notice-info">
          Your password is changed, and you are signed out everywhere. <Link href="/login">Log in</Link> with
          your new password.
        </p>
      ) : !token ? (
        <p role="alert" className="error">
          This page needs the link from your email. <Link href="/forgot-password">Ask for a new link</Link>.
        </p>
      ) : (
        <form noValidate onSubmit={form.onSubmit((data) => ({ token, password: data.get('password') }))}>
          <TextField
            form={form}
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters."
            required
          />
          <FormFooter form={form} label="Set new password" />
          {form.formError != null && (
            <p>
              <Link href="/forgot-password">Ask for a new link</Link>
            </p>
          )}
        </form>
      )}
    </section>
  );
}
