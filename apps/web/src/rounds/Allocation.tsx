import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { formatDateTime, ordinal } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { idSchema, type RouterOutputs } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { BarChart } from '../ui/BarChart.tsx';
import { ConfirmButton } from '../ui/buttons.tsx';
import { FormFooter, number, useZodForm } from '../ui/form.tsx';
import { StudentPicker } from '../ui/StudentPicker.tsx';
import { Table } from '../ui/Table.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';
import type { Round } from './RoundsPage.tsx';

type Preview = RouterOutputs['rounds']['preview'];

const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * What an admin runs on a round. A lottery: preview an allocation (nothing written) with its statistics,
 * draw again, publish (one transaction), then cancel an under-subscribed activity and see why per student.
 * A first-come round: its opening draw and how full its activities are.
 */
export function Allocation({ round }: { round: Round }) {
  return (
    <section aria-labelledby="allocation-heading">
      <h2 id="allocation-heading">
        {round.mode === 'lottery' ? 'Allocation' : 'Signups'} of {round.name}
      </h2>
      {round.mode === 'lottery' ? <Lottery round={round} /> : <FirstCome round={round} />}
    </section>
  );
}

function FirstCome({ round }: { round: Round }) {
  return (
    <>
      {round.openingDrawAt &&
        (round.openingPlacedAt ? (
          <p>
            Opening draw placed {formatDateTime(round.openingPlacedAt)} (seed {round.openingSeed}).
          </p>
        ) : (
          <p>
            Opening draw: signups until {formatDateTime(round.openingDrawAt)} are placed in a random order.
          </p>
        ))}
      <Fill round={round} />
    </>
  );
}

function Lottery({ round }: { round: Round }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [preview, setPreview] = useState<Preview | null>(null);
  const changed = { onSettled: () => invalidate(trpc.rounds, trpc.activities) };
  const run = useMutation(trpc.rounds.preview.mutationOptions({ onSuccess: setPreview }));
  const publish = useMutation(trpc.rounds.publish.mutationOptions({ ...changed, onSuccess: setPreview }));
  return (
    <>
      {round.publishedAt ? (
        <Notice result={false}>
          Published {formatDateTime(round.publishedAt)} (seed {round.lotterySeed}): students see their
          results.
        </Notice>
      ) : (
        <div className="actions">
          <button type="button" disabled={run.isPending} onClick={() => run.mutate({ roundId: round.id })}>
            {preview ? 'Draw again' : 'Preview an allocation'}
          </button>
          {preview && (
            <ConfirmButton
              label="Publish"
              target={`the allocation of seed ${preview.seed}`}
              className=""
              question={`Publish the allocation of seed ${preview.seed}?`}
              consequence="Its enrolments and waitlists are written and students see their results; it cannot be redrawn."
              disabled={publish.isPending}
              onConfirm={() =>
                publish.mutate({ roundId: round.id, seed: preview.seed, inputDigest: preview.inputDigest })
              }
            />
          )}
        </div>
      )}
      <ErrorText error={run.error ?? publish.error} />
      {preview && <Statistics preview={preview} published={round.publishedAt !== null} />}
      {round.publishedAt && (
        <>
          {!preview && <Fill round={round} />}
          <UnderMinimum round={round} />
          <Why roundId={round.id} />
        </>
      )}
    </>
  );
}

function Statistics({ preview, published }: { preview: Preview; published: boolean }) {
  const stats = preview.statistics;
  const under = stats.activities.filter((activity) => activity.underMinimum).length;
  return (
    <>
      <h3>{published ? 'The published allocation' : `Preview of seed ${preview.seed} (nothing written)`}</h3>
      <Table caption="Allocation statistics" columns={['Measure', 'Value']}>
        <tr>
          <th scope="row">Students who ranked</th>
          <td>{stats.students}</td>
        </tr>
        <tr>
          <th scope="row">Got their first choice</th>
          <td>{percent(stats.firstChoiceShare)}</td>
        </tr>
        <tr>
          <th scope="row">Got one of their choices</th>
          <td>{percent(stats.anyChoiceShare)}</td>
        </tr>
        <tr>
          <th scope="row">Unplaced students</th>
          <td>{stats.unplaced}</td>
        </tr>
        <tr>
          <th scope="row">Places, waitlist entries</th>
          <td>
            {stats.placements}, {stats.waitlistEntries}
          </td>
        </tr>
        <tr>
          <th scope="row">Activities under their minimum</th>
          <td>{under}</td>
        </tr>
      </Table>
      <Table
        caption="Fill per activity"
        columns={['Activity', 'Enrolled', 'Seats', 'Waitlisted', 'First choices', 'Minimum']}
      >
        {stats.activities.map((activity) => (
          <tr key={activity.activityId}>
            <th scope="row">{activity.name}</th>
            <td>{activity.enrolled}</td>
            <td>{activity.maxParticipants}</td>
            <td>{activity.waitlisted}</td>
            <td>{activity.firstChoices}</td>
            <td>
              {activity.minParticipants ?? '–'}
              {activity.underMinimum && ' (under)'}
            </td>
          </tr>
        ))}
      </Table>
      <BarChart
        title="Seats taken per activity"
        summary={`Seats taken per activity in this allocation; ${under} under their minimum.`}
        max={1}
        labelHeading="Activity"
        valueHeading="Seats taken"
        bars={stats.activities.map((activity) => ({
          label: activity.name,
          value: activity.maxParticipants ? activity.enrolled / activity.maxParticipants : 0,
          valueText:
            `${activity.enrolled} of ${activity.maxParticipants}` +
            (activity.waitlisted ? `, ${activity.waitlisted} waiting` : ''),
        }))}
      />
    </>
  );
}

/** How full the round's activities are now (read with the round). */
function Fill({ round }: { round: Round }) {
  if (!round.activities.length) return <p className="muted">No activities in this round yet.</p>;
  return (
    <BarChart
      title="Seats taken per activity"
      summary={`Seats taken in each of the ${round.activities.length} activities of ${round.name}.`}
      max={1}
      labelHeading="Activity"
      valueHeading="Seats taken"
      bars={round.activities.map((activity) => ({
        label: activity.name + (activity.cancelled ? ' (cancelled)' : ''),
        value: activity.maxParticipants ? activity.enrolledCount / activity.maxParticipants : 0,
        valueText:
          `${activity.enrolledCount} of ${activity.maxParticipants}` +
          (activity.waitlistCount ? `, ${activity.waitlistCount} waiting` : ''),
      }))}
    />
  );
}

function UnderMinimum({ round }: { round: Round }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [moved, setMoved] = useState<string | null>(null);
  const cancel = useMutation(
    trpc.rounds.cancelActivity.mutationOptions({ onSettled: () => invalidate(trpc.rounds, trpc.activities) }),
  );
  const under = round.activities.filter(
    (activity) =>
      !activity.cancelled &&
      activity.minParticipants !== null &&
      activity.enrolledCount < activity.minParticipants,
  );
  return (
    <>
      <h3>Under their minimum</h3>
      {under.length === 0 ? (
        <p className="muted">Every activity of the round has its minimum.</p>
      ) : (
        <ul className="list">
          {under.map((activity) => (
            <li key={activity.activityId}>
              {activity.name}: {activity.enrolledCount} enrolled, at least {activity.minParticipants} wanted{' '}
              <ConfirmButton
                label="Cancel activity"
                target={activity.name}
                question={`Cancel ${activity.name}?`}
                consequence="Its students move to their next choices that have room, or their waitlists."
                disabled={cancel.isPending}
                onConfirm={() =>
                  cancel.mutate(
                    { roundId: round.id, activityId: activity.activityId },
                    {
                      onSuccess: (result) =>
                        setMoved(
                          `${activity.name} is cancelled: of its ${result.moved} students, ${result.placed} were placed in a next choice and ${result.waitlisted} waitlisted.`,
                        ),
                    },
                  )
                }
              />
            </li>
          ))}
        </ul>
      )}
      <ErrorText error={cancel.error} />
      {moved && <Notice key={moved}>{moved}</Notice>}
    </>
  );
}

const whyStudentInput = z.object({ studentId: idSchema });

function Why({ roundId }: { roundId: number }) {
  const trpc = useTRPC();
  const [studentId, setStudentId] = useState<number | null>(null);
  const why = useQuery({
    ...trpc.rounds.why.queryOptions({ roundId, studentId: studentId ?? 0 }),
    enabled: studentId !== null,
  });
  const form = useZodForm(whyStudentInput, async (input) => setStudentId(input.studentId));
  return (
    <>
      <h3>Why, per student</h3>
      <form
        className="inline-form"
        noValidate
        onSubmit={form.onSubmit((data) => ({ studentId: number(data, 'studentId') }))}
      >
        <StudentPicker form={form} label="Student" />
        <FormFooter form={form} label="Show why" />
      </form>
      {studentId !== null && (
        <QueryView query={why} what="the student's draw">
          {(data) => (
            <>
              <p>
                {ordinal(data.drawPosition)} of {data.drawSize} in the draw.
              </p>
              <ol aria-label="Why, choice by choice">
                {data.choices.map((choice) => (
                  <li key={choice.activityId}>{choice.text}</li>
                ))}
              </ol>
            </>
          )}
        </QueryView>
      )}
    </>
  );
}
