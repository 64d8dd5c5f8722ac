import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { formatTime, ordinal } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import type { RouterOutputs } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { Notice, QueryView } from '../ui/states.tsx';
import { RankingEditor } from './RankingEditor.tsx';
import { duration, useServerClock, wallClock } from './time.ts';
import { PageHeading } from '../ui/focus.tsx';

type MyRound = RouterOutputs['rounds']['mine'][number];

/** A student's signup rounds: a countdown to the opening, the opening draw, ranking a lottery, results and why. */
export default function MyRoundsPage() {
  const trpc = useTRPC();
  // Polled, so that the opening and the draw's results appear without a reload.
  const rounds = useQuery({ ...trpc.rounds.mine.queryOptions(), refetchInterval: 15_000 });
  return (
    <>
      <PageHeading>Signup rounds</PageHeading>
      <QueryView
        query={rounds}
        what="signup rounds"
        isEmpty={(list) => list.length === 0}
        empty="No signup rounds: activities take signups whenever they have room."
      >
        {(list) =>
          list.map((mine) => <RoundCard key={mine.round.id} mine={mine} readAt={rounds.dataUpdatedAt} />)
        }
      </QueryView>
    </>
  );
}

function RoundCard({ mine, readAt }: { mine: MyRound; readAt: number }) {
  const { round } = mine;
  const now = useServerClock(round.serverNow, readAt);
  const phase =
    now < round.opensAt.getTime() ? 'upcoming' : now < round.closesAt.getTime() ? 'open' : 'closed';
  return (
    <section className="card" aria-labelledby={`round-${round.id}`}>
      <h2 id={`round-${round.id}`}>{round.name}</h2>
      <p className="muted">
        {round.mode === 'lottery' ? 'Ranked lottery' : 'First come'}
        {round.maxPerStudent !== null && `; at most ${round.maxPerStudent} per student`}
        {round.noOverlap && '; no overlapping schedules'}
      </p>
      {phase === 'upcoming' ? (
        <p>
          {round.mode === 'lottery' ? 'Ranking opens' : 'Signups open'} at {wallClock(round.opensAtLocal)} (
          {round.timeZone}): in <span role="timer">{duration(round.opensAt.getTime() - now)}</span>.
        </p>
      ) : phase === 'open' ? (
        <p>
          Open until {wallClock(round.closesAtLocal)} ({round.timeZone}).
        </p>
      ) : (
        <p>Closed at {wallClock(round.closesAtLocal)}.</p>
      )}
      {round.mode === 'lottery' ? <Lottery mine={mine} open={phase === 'open'} /> : <FirstCome mine={mine} />}
    </section>
  );
}

function FirstCome({ mine }: { mine: MyRound }) {
  const { round } = mine;
  return (
    <>
      {mine.inOpeningDraw.length > 0 && round.openingDrawAt && (
        <Notice result={false}>
          You are in the opening draw for {mine.inOpeningDraw.map((a) => a.name).join(', ')}; results at{' '}
          {formatTime(round.openingDrawAt)}.
        </Notice>
      )}
      {mine.openingDrawPosition !== null && (
        <p>
          Your place in the opening draw: {ordinal(mine.openingDrawPosition)} of {mine.openingDrawSize}.
        </p>
      )}
      <Places mine={mine} />
      <p>
        Its activities: {round.activities.map((a) => a.name).join(', ')}. Sign up from each activity&rsquo;s
        page in <Link href="/">the activities</Link>
        {round.openingWindowSeconds > 0 &&
          `; every signup in the first ${round.openingWindowSeconds} seconds counts as arriving at once`}
        .
      </p>
    </>
  );
}

function Places({ mine }: { mine: MyRound }) {
  if (!mine.signups.length) return null;
  return (
    <ul className="list" aria-label={`Your places in ${mine.round.name}`}>
      {mine.signups.map((signup) => (
        <li key={signup.activityId}>
          {signup.name}:{' '}
          {signup.status === 'enrolled' ? 'enrolled' : `number ${signup.waitlistPosition} on the waitlist`}
        </li>
      ))}
    </ul>
  );
}

function Lottery({ mine, open }: { mine: MyRound; open: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const { round } = mine;
  const rank = useMutation(trpc.rounds.rank.mutationOptions({ onSettled: () => invalidate(trpc.rounds) }));
  if (mine.why)
    return (
      <>
        <h3>Your results</h3>
        <p>
          You were {ordinal(mine.why.drawPosition)} of {mine.why.drawSize} in the draw.
        </p>
        <ol aria-label="Why, choice by choice">
          {mine.why.choices.map((choice) => (
            <li key={choice.activityId}>{choice.text}</li>
          ))}
        </ol>
        <Places mine={mine} />
      </>
    );
  if (!open)
    return mine.ranking.length ? (
      <>
        <h3>Your ranking</h3>
        <ol>
          {mine.ranking.map((choice) => (
            <li key={choice.activityId}>{choice.name}</li>
          ))}
        </ol>
        {round.publishedAt === null && round.closesAt.getTime() <= round.serverNow.getTime() && (
          <p className="muted">Results come here once the school publishes the allocation.</p>
        )}
      </>
    ) : null;
  return (
    <RankingEditor
      choices={round.activities.filter((activity) => !activity.cancelled)}
      initial={mine.ranking.map((choice) => choice.activityId)}
      maxChoices={round.maxChoices}
      saving={rank.isPending}
      error={rank.error}
      onSave={(activityIds) => rank.mutateAsync({ roundId: round.id, activityIds })}
    />
  );
}
