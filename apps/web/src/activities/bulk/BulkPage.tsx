import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { messageOf } from '../../lib/errors.ts';
import {
  type BulkKind,
  type BulkMode,
  bulkOperationSchema,
  parseEmailList,
  type RouterOutputs,
} from '../../lib/shared.ts';
import { useTRPC } from '../../trpc.ts';
import { ErrorText, Notice, QueryView } from '../../ui/states.tsx';
import { useSeatsChanged } from '../signup.tsx';
import { EmailList } from './EmailList.tsx';
import { ParticipantChooser } from './ParticipantChooser.tsx';
import { countsText, outcomeText, PlanTable } from './PlanTable.tsx';
import { PageHeading } from '../../ui/focus.tsx';

type Activity = RouterOutputs['activities']['get'];
type Result = RouterOutputs['bulk']['commit'];

const KINDS: { value: BulkKind; label: string }[] = [
  { value: 'add', label: 'Add students by email' },
  { value: 'move', label: 'Move chosen participants to another activity' },
  { value: 'copy', label: 'Copy chosen participants to another activity' },
  { value: 'withdraw', label: 'Withdraw chosen participants' },
];
const MODES: { value: BulkMode; label: string }[] = [
  { value: 'all-or-nothing', label: 'All or nothing: if anyone is refused, change nobody' },
  { value: 'skip-refused', label: 'Skip the refused and change the others' },
];

/** Bulk changes to one activity's roster (a teacher tool): choose, preview what happens to whom, then apply. */
export default function BulkPage({ id }: { id: number }) {
  const trpc = useTRPC();
  const activity = useQuery(trpc.activities.get.queryOptions({ id }));
  return (
    <QueryView query={activity} what="the activity">
      {(activity) => (
        <article>
          <p>
            <Link href={`/activities/${activity.id}/manage`}>← Manage {activity.name}</Link>
          </p>
          <PageHeading>{`Bulk changes to ${activity.name}`}</PageHeading>
          <p className="muted">
            {activity.enrolledCount} of {activity.maxParticipants} seats taken
            {activity.waitlistCount > 0 && `, ${activity.waitlistCount} on the waitlist`}.
          </p>
          <BulkChanges activity={activity} />
        </article>
      )}
    </QueryView>
  );
}

function BulkChanges({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const seatsChanged = useSeatsChanged();
  const id = useId();
  const [kind, setKind] = useState<BulkKind>('add');
  const [emails, setEmails] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [targetId, setTargetId] = useState('');
  const [mode, setMode] = useState<BulkMode>('all-or-nothing');
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const preview = useMutation(trpc.bulk.preview.mutationOptions());
  const commit = useMutation(
    trpc.bulk.commit.mutationOptions({
      onSuccess: (answer) => {
        setResult(answer);
        setSelected(new Set());
        preview.reset();
      },
      // An all-or-nothing refusal: show what the list would do now.
      onError: () => void showPreview(),
      onSettled: seatsChanged,
    }),
  );
  // Any change to the choice makes the preview out of date: it must be made again before applying.
  const changed =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      preview.reset();
      commit.reset();
      setResult(null);
      setProblem(null);
    };

  const operation = () => {
    const parsed = bulkOperationSchema.safeParse(
      kind === 'add'
        ? { kind, activityId: activity.id, emails: parseEmailList(emails) }
        : kind === 'withdraw'
          ? { kind, activityId: activity.id, studentIds: [...selected] }
          : { kind, fromActivityId: activity.id, toActivityId: Number(targetId), studentIds: [...selected] },
    );
    const issue = parsed.error?.issues[0];
    setProblem(
      !issue
        ? null
        : issue.path[0] === 'toActivityId' && !targetId
          ? 'choose the activity to go to'
          : issue.message,
    );
    return parsed.data;
  };
  const showPreview = async () => {
    const input = operation();
    if (input) await preview.mutateAsync({ operation: input }).catch(() => undefined);
  };
  const apply = () => {
    const input = operation();
    const plan = preview.data;
    if (!input || !plan) return;
    commit.mutate({
      operation: input,
      mode,
      previewed: plan.rows.map(({ key, outcome, waitlistPosition }) => ({ key, outcome, waitlistPosition })),
    });
  };

  // The preview already says an all-or-nothing apply would be refused (it still may be, if the roster changes).
  const blocked = mode === 'all-or-nothing' && (preview.data?.counts.refused ?? 0) > 0;

  return (
    <section aria-labelledby={`${id}-what`} className="card">
      <Choice
        legendId={`${id}-what`}
        legend="What to do"
        name="kind"
        options={KINDS}
        value={kind}
        onChange={changed(setKind)}
      />

      {kind === 'add' ? (
        <EmailList text={emails} onText={changed(setEmails)} />
      ) : (
        <ParticipantChooser activityId={activity.id} selected={selected} onSelected={changed(setSelected)} />
      )}
      {(kind === 'move' || kind === 'copy') && (
        <TargetPicker activityId={activity.id} value={targetId} onChange={changed(setTargetId)} />
      )}

      <p>
        <button type="button" disabled={preview.isPending} onClick={() => void showPreview()}>
          Preview
        </button>
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <ErrorText error={preview.error} />

      {preview.data && (
        <section aria-labelledby={`${id}-preview`}>
          <h2 id={`${id}-preview`}>What would happen</h2>
          <PlanTable plan={preview.data} caption="What would happen to whom" />
          <Choice
            legend="When some are refused"
            name="mode"
            options={MODES}
            value={mode}
            onChange={setMode}
          />
          {blocked && (
            <p className="muted" id={`${id}-blocked`}>
              All or nothing would change nobody: {preview.data.counts.refused} of the list{' '}
              {preview.data.counts.refused === 1 ? 'is' : 'are'} refused. Correct the list, or skip the
              refused.
            </p>
          )}
          <p>
            <button
              type="button"
              disabled={commit.isPending || blocked}
              aria-describedby={blocked ? `${id}-blocked` : undefined}
              onClick={apply}
            >
              Apply to {preview.data.rows.length - preview.data.counts.refused} of {preview.data.rows.length}
            </button>
          </p>
        </section>
      )}
      {commit.error && (
        <p role="alert" className="error">
          {messageOf(commit.error)}
        </p>
      )}
      {result && <ResultNotice result={result} />}
    </section>
  );
}

/** Radio buttons: one of a few options. */
function Choice<T extends string>({
  legend,
  legendId,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  legendId?: string;
  name: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="field">
      <legend id={legendId}>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="checkbox">
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The activities a move or copy may go to: every other one. */
function TargetPicker({
  activityId,
  value,
  onChange,
}: {
  activityId: number;
  value: string;
  onChange: (value: string) => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const activities = useQuery(trpc.activities.list.queryOptions({ pageSize: 500 }));
  return (
    <div className="field">
      <label htmlFor={id}>To the activity</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose an activity</option>
        {activities.data?.items
          .filter((activity) => activity.id !== activityId)
          .map((activity) => (
            <option key={activity.id} value={activity.id}>
              {activity.name} ({activity.spotsLeft} seats left)
            </option>
          ))}
      </select>
    </div>
  );
}

function ResultNotice({ result }: { result: Result }) {
  return (
    <Notice tone={result.changedSincePreview.length > 0 ? 'warning' : 'info'}>
      <p>Done: {countsText(result)}.</p>
      {result.promoted.length > 0 && (
        <p>Freed seats went to the waitlist: {result.promoted.map((student) => student.name).join(', ')}.</p>
      )}
      {result.changedSincePreview.length > 0 && (
        <>
          <p>The roster changed after the preview, so for these the outcome differs from what was shown:</p>
          <ul>
            {result.changedSincePreview.map((change) => (
              <li key={change.key}>
                {change.name ?? change.key}: {change.previewed ? outcomeText(change.previewed) : 'not shown'}{' '}
                in the preview, {outcomeText(change.applied)} now
              </li>
            ))}
          </ul>
        </>
      )}
    </Notice>
  );
}
