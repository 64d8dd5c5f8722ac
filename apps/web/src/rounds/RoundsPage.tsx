import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { labelOf } from '../lib/format.ts';
import type { RouterOutputs } from '../lib/shared.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton } from '../ui/buttons.tsx';
import { Table } from '../ui/Table.tsx';
import { Notice, QueryView } from '../ui/states.tsx';
import { Allocation } from './Allocation.tsx';
import { RoundForm } from './RoundForm.tsx';
import { wallClock } from './time.ts';
import { PageHeading } from '../ui/focus.tsx';

export type Round = RouterOutputs['rounds']['list'][number];

/** Admins set up signup rounds, edit them until they are published, and run their lotteries. */
export default function RoundsPage() {
  const trpc = useTRPC();
  const rounds = useQuery(trpc.rounds.list.queryOptions());
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  // What the last save did, said above the form that replaced the one saved (keyed by save).
  const [saved, setSaved] = useState<{ message: string; at: number } | null>(null);
  const select = (id: number | 'new') => {
    setSelected(id);
    setSaved(null);
  };
  const onSaved = (id: number, message: string) => {
    setSelected(id);
    setSaved({ message, at: Date.now() });
  };
  const round = rounds.data?.find((candidate) => candidate.id === selected);
  return (
    <>
      <PageHeading>Signup rounds</PageHeading>
      <QueryView query={rounds} what="signup rounds" isEmpty={(list) => list.length === 0}>
        {(list) => (
          <Table caption="Signup rounds" columns={['Round', 'Mode', 'Opens', 'Closes', 'State', 'Actions']}>
            {list.map((each) => (
              <tr key={each.id} aria-current={each.id === selected ? 'true' : undefined}>
                <th scope="row">{each.name}</th>
                <td>{each.mode === 'lottery' ? 'Lottery' : 'First come'}</td>
                <td>{wallClock(each.opensAtLocal)}</td>
                <td>{wallClock(each.closesAtLocal)}</td>
                <td>{each.publishedAt ? 'Published' : labelOf(each.phase)}</td>
                <td>
                  <ActionButton label="Manage" target={each.name} onClick={() => select(each.id)} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </QueryView>
      <p>
        <button type="button" onClick={() => select('new')}>
          New round
        </button>
      </p>
      {saved && <Notice key={saved.at}>{saved.message}</Notice>}
      {selected === 'new' && <RoundForm key="new" onSaved={onSaved} />}
      {round && (
        <>
          {round.publishedAt === null && (
            <RoundForm key={`${round.id}-${round.version}`} round={round} onSaved={onSaved} />
          )}
          <Allocation round={round} />
        </>
      )}
    </>
  );
}
