import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { formatTime, ordinal } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import type { RouterOutputs } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton } from '../ui/buttons.tsx';
import { ErrorText, Notice, QueryView } from '../ui/states.tsx';

type MyRound = RouterOutputs['rounds']['mine'][number];

/** A student's rounds: a countdown before opening, ranking a lottery, the opening draw, results and why. */
export default function MyRoundsPage() {
  const trpc = useTRPC();
  // Polled, so that the opening and the draw's results appear without a reload.
  const rounds = useQuery({ ...trpc.rounds.mine.queryOptions(), refetchInterval: 15_000 });
  return (
    <>
      <h1>Signup rounds</h1>
      <QueryView query={rounds} what="rounds" isEmpty={(list) => list.length === 0}>
        {(list) => list.map((mine) => <RoundCard key={mine.round.id} mine={mine} />)}
      </QueryView>
    </>
  );
}

function RoundCard({ mine }: { mine: MyRound }) {
  const { round } = mine;
  return (
    <section className="card" aria-labelledby={`round-${round.id}`}>
      <h2 id={`round-${round.id}`}>{round.name}</h2>
      <Countdown mine={mine} />
      {round.mode === 'lottery' ? <Lottery mine={mine} /> : <FirstCome mine={mine} />}
    </section>
  );
}

/** Time left by the server's clock (the device's may be off), ticking every second. */
function Countdown({ mine }: { mine: MyRound }) {
  const { round } = mine;
  const offset = round.serverNow.getTime() - Date.now();
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(timer);
  }, [offset]);
  const local = (value: string) => value.replace('T', ' ');
  if (now < round.opensAt.getTime())
    return (
      <p>
        Opens at {local(round.opensAtLocal)} (school time): in{' '}
        <span role="timer">{duration(round.opensAt.getTime() - now)}</span>.
      </p>
    );
  if (now < round.closesAt.getTime())
    return <p>Open until {local(round.closesAtLocal)} (school time).</p>;
  return <p>Closed at {local(round.closesAtLocal)} (school time).</p>;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [d && `${d} d`, (d || h) && `${h} h`, `${m} min`, `${s} s`].filter(Boolean).join(' ');
}

function FirstCome({ mine }: { mine: MyRound }) {
  return (
    <>
      {mine.inOpeningDraw.length > 0 && mine.round.openingDrawAt && (
        <Notice>
          You are in the opening draw for {mine.inOpeningDraw.map((a) => a.name).join(', ')}; results at{' '}
          {formatTime(mine.round.openingDrawAt)}.
        </Notice>
      )}
      {mine.openingDrawPosition !== null && (
        <p>
          Your place in the opening draw: {ordinal(mine.openingDrawPosition)} of {mine.openingDrawSize}.
        </p>
      )}
      <Signups mine={mine} />
      <p>
        Sign up from the <Link href="/">activities</Link> of the round:{' '}
        {mine.round.activities.map((a) => a.name).join(', ')}.
      </p>
    </>
  );
}

function Signups({ mine }: { mine: MyRound }) {
  if (!mine.signups.length) return null;
  return (
    <ul className="list" aria-label={`Your places in ${mine.round.name}`}>
      {mine.signups.map((s) => (
        <li key={s.activityId}>
          {s.name}: {s.status === 'enrolled' ? 'enrolled' : `number ${s.waitlistPosition} on the waitlist`}
        </li>
      ))}
    </ul>
  );
}

/**
 * Ranking with buttons (Up, Down, Remove, Add), so a keyboard or a screen reader does all that a mouse
 * does; the order is saved with "Save my ranking" and can change until the round closes.
 */
function Lottery({ mine }: { mine: MyRound }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const { round } = mine;
  const [ranking, setRanking] = useState(() => mine.ranking.map((r) => r.activityId));
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.rounds.rank.mutationOptions({ onSuccess: () => setSaved(true), onSettled: () => invalidate(trpc.rounds) }),
  );
  const names = new Map(round.activities.map((a) => [a.activityId, a.name]));
  const open = round.phase === 'open' && !round.publishedAt;
  const move = (index: number, by: number) => {
    const next = [...ranking];
    [next[index], next[index + by]] = [next[index + by]!, next[index]!];
    setRanking(next);
    setSaved(false);
  };
  if (mine.why)
    return (
      <>
        <p>
          Results: you were {ordinal(mine.why.drawPosition)} of {mine.why.drawSize} in the draw.
        </p>
        <ol aria-label="Why, choice by choice">
          {mine.why.choices.map((c) => (
            <li key={c.activityId}>{c.text}</li>
          ))}
        </ol>
        <Signups mine={mine} />
      </>
    );
  return (
    <>
      <h3>Your ranking</h3>
      {ranking.length === 0 ? (
        <p className="muted">You have ranked nothing yet.</p>
      ) : (
        <ol aria-label="Your ranking, best first">
          {ranking.map((id, index) => {
            const name = names.get(id) ?? `Activity ${id}`;
            return (
              <li key={id}>
                {name}{' '}
                {open && (
                  <span className="actions">
                    <ActionButton label="Up" target={name} disabled={index === 0} onClick={() => move(index, -1)} />
                    <ActionButton
                      label="Down"
                      target={name}
                      disabled={index === ranking.length - 1}
                      onClick={() => move(index, 1)}
                    />
                    <ActionButton
                      label="Remove"
                      target={name}
                      onClick={() => {
                        setRanking(ranking.filter((other) => other !== id));
                        setSaved(false);
                      }}
                    />
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {open && (
        <>
          <h3>Activities to rank (up to {round.maxChoices})</h3>
          <ul className="list">
            {round.activities
              .filter((a) => !a.cancelled && !ranking.includes(a.activityId))
              .map((a) => (
                <li key={a.activityId}>
                  {a.name} ({a.schedule || 'no schedule given'}){' '}
                  <ActionButton
                    label="Add"
                    target={a.name}
                    disabled={ranking.length >= round.maxChoices}
                    onClick={() => {
                      setRanking([...ranking, a.activityId]);
                      setSaved(false);
                    }}
                  />
                </li>
              ))}
          </ul>
          <button type="button" disabled={save.isPending} onClick={() => save.mutate({ roundId: round.id, activityIds: ranking })}>
            Save my ranking
          </button>
          <ErrorText error={save.error} />
          {saved && <Notice>Your ranking is saved. You can change it until the round closes.</Notice>}
        </>
      )}
    </>
  );
}
