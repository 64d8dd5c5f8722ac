import { useMutation, useQuery } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useInvalidate } from '../lib/queries.ts';
import { labelOf } from '../lib/format.ts';
import {
  activityCreateInput,
  activityUpdateInput,
  GRADES,
  WEEKDAYS,
  type RouterOutputs,
  scheduleMismatch,
  type Weekday,
} from '../lib/shared.ts';
import { trpcClient, useTRPC } from '../trpc.ts';
import {
  all,
  CheckboxGroup,
  FormFooter,
  number,
  text,
  TextAreaField,
  TextField,
  useZodForm,
} from '../ui/form.tsx';
import { Notice, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

type Activity = RouterOutputs['activities']['get'];

const DAY_OPTIONS = WEEKDAYS.map((day) => ({ value: day, label: labelOf(day) }));
const GRADE_OPTIONS = GRADES.map((grade) => ({ value: String(grade), label: `Grade ${grade}` }));

/** A new activity, or changes to one (`id`), with every field of activityCreateInput. */
export default function ActivityFormPage({ id }: { id?: number }) {
  const trpc = useTRPC();
  const activity = useQuery({ ...trpc.activities.get.queryOptions({ id: id ?? 0 }), enabled: !!id });
  if (!id) return <ActivityForm />;
  return (
    <QueryView query={activity} what="the activity">
      {/* A new version (after a conflict, "load their changes") starts the form afresh. */}
      {(activity) => <ActivityForm key={activity.version} activity={activity} />}
    </QueryView>
  );
}

/** The form's fields in the shape both schemas take; blank optional fields are null (cleared). */
function readActivity(data: FormData) {
  const days = all(data, 'scheduleDays');
  const grades = all(data, 'allowedGrades').map(Number);
  return {
    name: text(data, 'name') ?? '',
    description: text(data, 'description') ?? '',
    category: text(data, 'category', null),
    schedule: text(data, 'schedule') ?? '',
    scheduleDays: days.length ? days : null,
    startTime: text(data, 'startTime', null),
    endTime: text(data, 'endTime', null),
    maxParticipants: number(data, 'maxParticipants'),
    allowedGrades: grades.length ? grades : null,
    minGroupSize: number(data, 'minGroupSize', null),
    maxGroupSize: number(data, 'maxGroupSize', null),
  };
}

const isConflict = (error: unknown) =>
  error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'CONFLICT';

function ActivityForm({ activity }: { activity?: Activity }) {
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const invalidate = useInvalidate();
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);
  const create = useMutation(trpc.activities.create.mutationOptions());
  const update = useMutation(trpc.activities.update.mutationOptions());
  // Off to the activity first: refetched here, the new version would restart this form on its way out.
  const saved = (saved: Activity) => {
    navigate(`/activities/${saved.id}`);
    void invalidate(trpc.activities);
  };
  const createForm = useZodForm(activityCreateInput, async (input) => saved(await create.mutateAsync(input)));
  const updateForm = useZodForm(activityUpdateInput, async (input) => {
    setChangedMeanwhile(false);
    try {
      await saved(await update.mutateAsync(input));
    } catch (error) {
      // A CONFLICT is also a name already taken: a newer version says someone else saved meanwhile. Asked
      // outside the query cache, so that what the teacher typed stays in the form.
      if (!isConflict(error) || !activity) throw error;
      const latest = await trpcClient.activities.get.query({ id: activity.id });
      if (latest.version === activity.version) throw error;
      setChangedMeanwhile(true);
    }
  });
  const form = activity ? updateForm : createForm;
  // The free text and the days and times, read again as they are typed: a warning while they disagree.
  const [mismatch, setMismatch] = useState(() => (activity ? scheduleMismatch(activity) : null));
  const checkSchedule = (formElement: HTMLFormElement) => {
    const { schedule, scheduleDays, startTime, endTime } = readActivity(new FormData(formElement));
    setMismatch(
      scheduleMismatch({
        schedule,
        scheduleDays: scheduleDays as Weekday[] | null,
        startTime: startTime ?? null,
        endTime: endTime ?? null,
      }),
    );
  };

  return (
    <section>
      <p>
        <Link href={activity ? `/activities/${activity.id}` : '/'}>
          ← {activity ? activity.name : 'All activities'}
        </Link>
      </p>
      <PageHeading>{activity ? `Edit ${activity.name}` : 'New activity'}</PageHeading>
      {changedMeanwhile && activity && (
        <Notice tone="warning">
          <p>
            Someone else changed {activity.name} while you were editing it, so your changes are not saved.
            Load their version, then make your changes again.
          </p>
          <button type="button" onClick={() => void invalidate(trpc.activities)}>
            Load their changes
          </button>
        </Notice>
      )}
      <form
        noValidate
        className="grid-form"
        onChange={(event) => checkSchedule(event.currentTarget)}
        onSubmit={form.onSubmit((data) =>
          activity
            ? { id: activity.id, version: activity.version, ...readActivity(data) }
            : readActivity(data),
        )}
      >
        <TextField
          form={form}
          name="name"
          label="Name"
          defaultValue={activity?.name}
          maxLength={120}
          required
        />
        <TextField
          form={form}
          name="category"
          label="Category (optional)"
          defaultValue={activity?.category ?? ''}
          maxLength={60}
          hint="Sports, Arts, Academic…"
        />
        <div className="wide">
          <TextAreaField
            form={form}
            name="description"
            label="Description"
            defaultValue={activity?.description}
            maxLength={5000}
          />
        </div>
        <div className="wide">
          <TextField
            form={form}
            name="schedule"
            label="Schedule as people say it"
            defaultValue={activity?.schedule}
            maxLength={200}
            hint="Shown only where no days and times are given; with them, students see the days and times."
          />
        </div>
        {mismatch && (
          <div className="wide" data-testid="schedule-mismatch">
            <Notice tone="warning">
              <p>
                The schedule's text and its days and times disagree: {mismatch}. Students see the days and
                times; correct the text or clear it.
              </p>
            </Notice>
          </div>
        )}
        <div className="wide">
          <CheckboxGroup
            form={form}
            name="scheduleDays"
            label="Days"
            options={DAY_OPTIONS}
            defaultValues={activity?.scheduleDays ?? []}
            hint="Days, start and end time together let students filter by day and time, and warn of overlaps."
          />
        </div>
        <TextField
          form={form}
          name="startTime"
          label="Starts at"
          type="time"
          defaultValue={activity?.startTime ?? ''}
        />
        <TextField
          form={form}
          name="endTime"
          label="Ends at"
          type="time"
          defaultValue={activity?.endTime ?? ''}
        />
        <TextField
          form={form}
          name="maxParticipants"
          label="Max participants"
          type="number"
          min={1}
          max={10000}
          defaultValue={activity?.maxParticipants}
          required
        />
        <TextField
          form={form}
          name="minGroupSize"
          label="Min group size (optional)"
          type="number"
          min={1}
          defaultValue={activity?.minGroupSize ?? ''}
        />
        <TextField
          form={form}
          name="maxGroupSize"
          label="Max group size (optional)"
          type="number"
          min={1}
          defaultValue={activity?.maxGroupSize ?? ''}
        />
        <div className="wide">
          <CheckboxGroup
            form={form}
            name="allowedGrades"
            label="Open to grades"
            options={GRADE_OPTIONS}
            defaultValues={activity?.allowedGrades?.map(String) ?? []}
            hint="None ticked: open to every grade."
          />
        </div>
        <FormFooter form={form} label={activity ? 'Save changes' : 'Create activity'} />
      </form>
    </section>
  );
}
