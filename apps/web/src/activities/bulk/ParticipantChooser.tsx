import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { rosterStatusText } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { Pager } from '../../ui/Pager.tsx';
import { Table } from '../../ui/Table.tsx';
import { QueryView } from '../../ui/states.tsx';

const PAGE = 100;

/** The activity's participants with a checkbox each (the choice kept across pages): enrolled, then the waitlist. */
export function ParticipantChooser({
  activityId,
  selected,
  onSelected,
}: {
  activityId: number;
  selected: ReadonlySet<number>;
  onSelected: (selected: Set<number>) => void;
}) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const participants = useQuery(trpc.participants.list.queryOptions({ activityId, page, pageSize: PAGE }));
  const toggle = (ids: number[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onSelected(next);
  };
  return (
    <QueryView
      query={participants}
      what="participants"
      isEmpty={(data) => data.total === 0}
      empty="Nobody has signed up yet."
    >
      {(data) => {
        const ids = data.items.map((participant) => participant.studentId);
        const allChosen = ids.every((id) => selected.has(id));
        return (
          <>
            <p className="muted" role="status">
              {selected.size} of {data.total} chosen.{' '}
              <button type="button" className="link-button" onClick={() => toggle(ids, !allChosen)}>
                {allChosen ? 'Unselect' : 'Select'} everyone on this page
              </button>
            </p>
            <Table caption="Participants to choose from" columns={['Student', 'Email', 'Grade', 'Status']}>
              {data.items.map((participant) => (
                <tr key={participant.studentId}>
                  <th scope="row">
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={selected.has(participant.studentId)}
                        onChange={(event) => toggle([participant.studentId], event.target.checked)}
                      />
                      {participant.name}
                    </label>
                  </th>
                  <td>{participant.email}</td>
                  <td>{participant.grade ?? '–'}</td>
                  <td>{rosterStatusText(participant.status, participant.waitlistPosition)}</td>
                </tr>
              ))}
            </Table>
            <Pager page={page} pageSize={PAGE} total={data.total} onPage={setPage} what="participants" />
          </>
        );
      }}
    </QueryView>
  );
}
