import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { formatDate, labelOf } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import {
  GRADES,
  studentCreateInput,
  studentUpdateInput,
  TEACHER_ROLES,
  teacherCreateInput,
  teacherUpdateInput,
} from '../lib/shared.ts';
import { useUser } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton, ConfirmButton } from '../ui/buttons.tsx';
import { FormFooter, thenReset, number, SelectField, text, TextField, useZodForm } from '../ui/form.tsx';
import { Pager } from '../ui/Pager.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

const STUDENT_PAGE = 25;
const ROLE_OPTIONS = TEACHER_ROLES.map((role) => ({ value: role, label: labelOf(role) }));
const GRADE_OPTIONS = [
  { value: '', label: 'No grade' },
  ...GRADES.map((grade) => ({ value: String(grade), label: `Grade ${grade}` })),
];

/** Admins manage the school's accounts: teachers (roles) and students. */
export default function PeoplePage() {
  return (
    <>
      <PageHeading>People</PageHeading>
      <Teachers />
      <Students />
    </>
  );
}

function Teachers() {
  const trpc = useTRPC();
  const me = useUser();
  const invalidate = useInvalidate();
  const teachers = useQuery(trpc.teachers.list.queryOptions({ pageSize: 100 }));
  const changed = { onSettled: () => invalidate(trpc.teachers, trpc.auth, trpc.dashboard) };
  const update = useMutation(trpc.teachers.update.mutationOptions(changed));
  const remove = useMutation(trpc.teachers.delete.mutationOptions(changed));
  return (
    <section aria-labelledby="teachers-heading">
      <h2 id="teachers-heading">Teachers and admins</h2>
      <QueryView query={teachers} what="teachers" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <Table caption="Teachers and admins" columns={['Name', 'Username', 'Email', 'Role', 'Actions']}>
            {page.items.map((teacher) => {
              const other = teacher.role === 'admin' ? 'teacher' : 'admin';
              return (
                <tr key={teacher.id}>
                  <th scope="row">
                    {teacher.name}
                    {teacher.id === me?.id && ' (you)'}
                  </th>
                  <td>{teacher.username}</td>
                  <td>{teacher.email}</td>
                  <td>{labelOf(teacher.role)}</td>
                  <td>
                    <div className="actions">
                      <ConfirmButton
                        label={`Make ${other}`}
                        target={teacher.name}
                        className="secondary"
                        question={`Make ${teacher.name} ${other === 'admin' ? 'an admin' : 'a teacher'}?`}
                        consequence={
                          other === 'admin'
                            ? 'They will manage accounts, correct and refund payments, and see the dashboard.'
                            : 'They lose the admin screens: accounts, payment corrections and the dashboard.'
                        }
                        disabled={update.isPending}
                        onConfirm={() => update.mutate({ id: teacher.id, role: other })}
                      />
                      <ConfirmButton
                        label="Delete"
                        target={teacher.name}
                        question={`Delete ${teacher.name}'s account?`}
                        disabled={remove.isPending}
                        onConfirm={() => remove.mutate({ id: teacher.id })}
                      />
                      <ResetPassword kind="teacher" id={teacher.id} name={teacher.name} />
                    </div>
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </QueryView>
      <ErrorText error={update.error ?? remove.error} />
      <details className="card">
        <summary>New teacher or admin</summary>
        <TeacherForm />
      </details>
    </section>
  );
}

function TeacherForm() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const create = useMutation(
    trpc.teachers.create.mutationOptions({ onSettled: () => invalidate(trpc.teachers, trpc.dashboard) }),
  );
  const form = useZodForm(teacherCreateInput, thenReset(create.mutateAsync));
  return (
    <form
      noValidate
      className="grid-form"
      onSubmit={form.onSubmit((data) => ({
        name: text(data, 'name') ?? '',
        username: text(data, 'username') ?? '',
        email: text(data, 'email') ?? '',
        role: text(data, 'role'),
        password: data.get('password'),
      }))}
    >
      <TextField form={form} name="name" label="Name" maxLength={200} required />
      <TextField form={form} name="username" label="Username" autoComplete="off" maxLength={64} required />
      <TextField form={form} name="email" label="Email" type="email" autoComplete="off" required />
      <SelectField form={form} name="role" label="Role" options={ROLE_OPTIONS} />
      <TextField
        form={form}
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters; they can change it later."
        required
      />
      {create.isSuccess && <Notice key={create.submittedAt}>{create.data.name} can now log in.</Notice>}
      <FormFooter form={form} label="Create account" />
    </form>
  );
}

function Students() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const term = useDeferredValue(search.trim());
  const students = useQuery({
    ...trpc.students.list.queryOptions({ search: term || undefined, page, pageSize: STUDENT_PAGE }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation(
    trpc.students.delete.mutationOptions({ onSettled: () => invalidate(trpc.students, trpc.dashboard) }),
  );
  return (
    <section aria-labelledby="students-heading">
      <h2 id="students-heading">Students</h2>
      <form
        className="filters"
        role="search"
        aria-label="Search students"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="student-search">Search by name or email</label>
          <input
            id="student-search"
            type="search"
            value={search}
            maxLength={100}
            onChange={(event) => {
              setSearch(event.target.value);
              setPage(1);
            }}
          />
        </div>
      </form>
      <QueryView
        query={students}
        what="students"
        isEmpty={(data) => data.items.length === 0}
        empty={term ? 'No student matches.' : 'No students yet.'}
      >
        {(data) => (
          <>
            <p className="muted" role="status">
              {data.total === 1 ? '1 student' : `${data.total} students`}
            </p>
            <Table caption="Students" columns={['Name', 'Email', 'Grade', 'Since', 'Actions']}>
              {data.items.map((student) => (
                <tr key={student.id}>
                  <th scope="row">{student.name}</th>
                  <td>{student.email}</td>
                  <td>{student.grade ?? '–'}</td>
                  <td>{formatDate(student.createdAt)}</td>
                  <td>
                    <div className="actions">
                      <ConfirmButton
                        label="Delete"
                        target={student.name}
                        question={`Delete ${student.name} with their signups?`}
                        disabled={remove.isPending}
                        onConfirm={() => remove.mutate({ id: student.id })}
                      />
                      <ResetPassword kind="student" id={student.id} name={student.name} />
                    </div>
                  </td>
                </tr>
              ))}
            </Table>
            <Pager page={page} pageSize={STUDENT_PAGE} total={data.total} onPage={setPage} what="students" />
          </>
        )}
      </QueryView>
      <ErrorText error={remove.error} />
      <details className="card">
        <summary>New student</summary>
        <StudentForm />
      </details>
    </section>
  );
}

function StudentForm() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const create = useMutation(
    trpc.students.create.mutationOptions({ onSettled: () => invalidate(trpc.students, trpc.dashboard) }),
  );
  const form = useZodForm(studentCreateInput, thenReset(create.mutateAsync));
  return (
    <form
      noValidate
      className="grid-form"
      onSubmit={form.onSubmit((data) => ({
        name: text(data, 'name') ?? '',
        email: text(data, 'email') ?? '',
        grade: number(data, 'grade', null),
        password: (data.get('password') as string) || undefined,
      }))}
    >
      <TextField form={form} name="name" label="Name" maxLength={200} required />
      <TextField form={form} name="email" label="Email" type="email" autoComplete="off" required />
      <SelectField form={form} name="grade" label="Grade" options={GRADE_OPTIONS} />
      <TextField
        form={form}
        name="password"
        label="Password (optional)"
        type="password"
        autoComplete="new-password"
        hint="Without one, teachers can still sign the student up, but the student cannot log in."
      />
      {create.isSuccess && <Notice key={create.submittedAt}>{create.data.name} is added.</Notice>}
      <FormFooter form={form} label="Add student" />
    </form>
  );
}

/**
 * An admin's password reset: a temporary password the admin types and hands over. The API ends the person's
 * sessions and makes them choose their own at their next login (students.update, teachers.update).
 */
function ResetPassword({ kind, id, name }: { kind: 'student' | 'teacher'; id: number; name: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const student = useMutation(trpc.students.update.mutationOptions());
  const teacher = useMutation(trpc.teachers.update.mutationOptions());
  const form = useZodForm(kind === 'student' ? studentUpdateInput : teacherUpdateInput, async (input) => {
    await (kind === 'student' ? student : teacher).mutateAsync(input as { id: number; password: string });
    setOpen(false);
    setDone(true);
  });
  if (!open)
    return (
      <>
        <ActionButton
          label="Reset password"
          target={`of ${name}`}
          onClick={() => {
            setDone(false);
            setOpen(true);
          }}
        />
        {done && (
          <Notice>
            {name}&apos;s password is reset. Give them the temporary password: they choose their own when they
            log in with it.
          </Notice>
        )}
      </>
    );
  return (
    <form
      noValidate
      className="confirm"
      aria-label={`Reset the password of ${name}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setOpen(false);
      }}
      onSubmit={form.onSubmit((data) => ({ id, password: data.get('password') }))}
    >
      <TextField
        form={form}
        name="password"
        label={`Temporary password for ${name}`}
        type="text"
        autoComplete="off"
        autoFocus
        hint="At least 8 characters. They are signed out everywhere and must choose their own password at their next login."
        required
      />
      <FormFooter form={form} label="Reset password" />
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
