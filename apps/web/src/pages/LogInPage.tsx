import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { logInInput } from '../lib/shared.ts';
import { useSessionChange } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { FormFooter, text, TextField, useZodForm } from '../ui/form.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** Only a path of this site: a `next` pointing elsewhere would make the login page an open redirect. */
const safeNext = (next: string | null) => (next && /^\/(?!\/)/.test(next) ? next : null);

export default function LogInPage() {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const next = safeNext(new URLSearchParams(useSearch()).get('next'));
  const sessionChanged = useSessionChange();
  const [as, setAs] = useState<'student' | 'teacher'>('student');
  const logIn = useMutation(trpc.auth.logIn.mutationOptions());
  const form = useZodForm(logInInput, async (input) => {
    const session = await logIn.mutateAsync(input);
    await sessionChanged();
    // A temporary password (an admin's reset) is changed first, on My account.
    if (session.user.mustChangePassword) navigate('/me');
    else navigate(next ?? (session.user.kind === 'student' ? '/me' : '/'));
  });

  return (
    <section className="narrow">
      <PageHeading>Log in</PageHeading>
      <form
        noValidate
        onSubmit={form.onSubmit((data) => ({
          as,
          login: text(data, 'login') ?? '',
          password: data.get('password'),
          transport: 'cookie',
        }))}
      >
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
        <TextField
          form={form}
          name="login"
          label={as === 'student' ? 'Email' : 'Email or username'}
          autoComplete="username"
          required
        />
        <TextField
          form={form}
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
        />
        <FormFooter form={form} label="Log in" />
      </form>
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link href="/register">Register as a student</Link>.
      </p>
    </section>
  );
}
