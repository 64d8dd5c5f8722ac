import { useEffect, useRef, useState } from 'react';
import { ordinal } from '../lib/format.ts';
import { ActionButton } from '../ui/buttons.tsx';
import { ErrorText, Notice } from '../ui/states.tsx';
import { moved } from './time.ts';

interface Choice {
  activityId: number;
  name: string;
  schedule: string;
}

/**
 * A student's ranking, best first, changed with buttons only (Move up, Move down, Remove, Add): a keyboard, a
 * screen reader or a mouse does all of it, and nothing needs dragging. After a move the focus stays on the
 * moved choice's button (or its other one, at either end) and the new place is read out.
 */
export function RankingEditor({
  choices,
  initial,
  maxChoices,
  saving,
  error,
  onSave,
}: {
  choices: readonly Choice[];
  initial: readonly number[];
  maxChoices: number;
  saving: boolean;
  error: unknown;
  onSave: (activityIds: number[]) => Promise<unknown>;
}) {
  const [ranking, setRanking] = useState<number[]>([...initial]);
  const [said, setSaid] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (focus) list.current?.querySelector<HTMLButtonElement>(`[data-focus="${focus}"]`)?.focus();
  }, [focus, ranking]);

  const names = new Map(choices.map((choice) => [choice.activityId, choice.name]));
  const nameOf = (id: number) => names.get(id) ?? `Activity ${id}`;
  const change = (next: number[], message: string) => {
    setRanking(next);
    setSaid(message);
    setSaved(false);
  };
  const move = (index: number, by: -1 | 1) => {
    const id = ranking[index]!;
    const place = index + by;
    change(moved(ranking, index, by), `${nameOf(id)} moved to ${ordinal(place + 1)} of ${ranking.length}.`);
    const atEnd = by === -1 ? place === 0 : place === ranking.length - 1;
    setFocus(`${id}-${atEnd ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down'}`);
  };
  const unranked = choices.filter((choice) => !ranking.includes(choice.activityId));

  return (
    <>
      <h3>Your ranking, best first</h3>
      {ranking.length === 0 ? (
        <p className="muted">You have ranked nothing yet: add your choices below.</p>
      ) : (
        <ol className="ranking" ref={list} aria-label="Your ranking, best first">
          {ranking.map((id, index) => (
            <li key={id}>
              <span className="ranking-name">{nameOf(id)}</span>
              <span className="actions">
                {index > 0 && (
                  <button
                    type="button"
                    className="secondary"
                    data-focus={`${id}-up`}
                    onClick={() => move(index, -1)}
                  >
                    Move up<span className="visually-hidden"> {nameOf(id)}</span>
                  </button>
                )}
                {index < ranking.length - 1 && (
                  <button
                    type="button"
                    className="secondary"
                    data-focus={`${id}-down`}
                    onClick={() => move(index, 1)}
                  >
                    Move down<span className="visually-hidden"> {nameOf(id)}</span>
                  </button>
                )}
                <ActionButton
                  label="Remove"
                  target={nameOf(id)}
                  onClick={() =>
                    change(
                      ranking.filter((other) => other !== id),
                      `${nameOf(id)} removed from your ranking.`,
                    )
                  }
                />
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status">
        {said}
      </p>
      <h3>Activities to rank (up to {maxChoices})</h3>
      {unranked.length === 0 ? (
        <p className="muted">You have ranked every activity of this round.</p>
      ) : (
        <ul className="list">
          {unranked.map((choice) => (
            <li key={choice.activityId}>
              {choice.name}
              {choice.schedule && <span className="muted"> ({choice.schedule})</span>}{' '}
              <ActionButton
                label="Add"
                target={choice.name}
                disabled={ranking.length >= maxChoices}
                onClick={() =>
                  change(
                    [...ranking, choice.activityId],
                    `${choice.name} added as your ${ordinal(ranking.length + 1)} choice.`,
                  )
                }
              />
            </li>
          ))}
        </ul>
      )}
      <p>
        <button
          type="button"
          disabled={saving}
          onClick={() =>
            void onSave(ranking).then(
              () => setSaved(true),
              () => undefined,
            )
          }
        >
          {saving ? 'Saving…' : 'Save my ranking'}
        </button>
      </p>
      <ErrorText error={error} />
      {saved && <Notice>Your ranking is saved. You can change it until the round closes.</Notice>}
    </>
  );
}
