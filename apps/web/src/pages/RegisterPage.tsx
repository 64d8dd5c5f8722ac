import { useMutation } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { GRADES, registerInput } from '../lib/shared.ts';
import { useSessionChange } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { FormFooter, number, SelectField, text, TextField, useZodForm } from '../ui/form.tsx';
import { PageHeading } from '../ui/focus.tsx';

export default function RegisterPage() {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const sessionChanged = useSessionChange();
  const register = useMutation(trpc.auth.register.mutationOptions());
  const logIn = useMutation(trpc.auth.logIn.mutationOptions());
  const form = useZodForm(registerInput, async (input) => {
    await register.mutateAsync(input);
    await logIn.mutateAsync({
      as: 'student',
      login: input.email,
      password: input.password,
      transport: 'cookie',
    });
    await sessionChanged();
    navigate('/');
  });

  return (
    <section className="narrow">
      <PageHeading>Register</PageHeading>
      <p>Students of Mergington High School register here to sign up for activities.</p>
      <form
        noValidate
        onSubmit={form.onSubmit((data) => ({
          email: text(data, 'email') ?? '',
          name: text(data, 'name') ?? '',
          grade: number(data, 'grade', null),
          password: data.get('password'),
        }))}
      >
        <TextField form={form} name="email" label="School email" type="email" autoComplete="email" required />
        <TextField form={form} name="name" label="Full name" autoComplete="name" required />
        <SelectField
          form={form}
          name="grade"
          label="Grade"
          options={[
            { value: '', label: 'Prefer not to say' },
            ...GRADES.map((g) => ({ value: String(g), label: `Grade ${g}` })),
          ]}
        />
        <TextField
          form={form}
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          required
        />
        <FormFooter form={form} label="Register" />
      </form>
    </section>
  );
}
