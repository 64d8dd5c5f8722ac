import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDateTime } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton } from '../ui/buttons.tsx';
import { Pager } from '../ui/Pager.tsx';
import { ErrorText, QueryView } from '../ui/states.tsx';
import { Table } from '../ui/Table.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** Admins: notification emails the queue gave up on after its last retry, to send again once fixed. */
export default function FailedEmailsPage() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [page, setPage] = useState(1);
  const failed = useQuery({
    ...trpc.notifications.failedEmails.queryOptions({ page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  const retry = useMutation(
    trpc.notifications.retryEmail.mutationOptions({ onSettled: () => invalidate(trpc.notifications) }),
  );
  return (
    <>
      <PageHeading>Failed emails</PageHeading>
      <p className="muted">
        Emails that could not be sent after every retry. Send one again once the mail server works.
      </p>
      <ErrorText error={retry.error} />
      <QueryView
        query={failed}
        what="failed emails"
        isEmpty={(data) => data.total === 0}
        empty="No failed emails."
      >
        {(data) => (
          <>
            <Table
              caption="Failed emails"
              columns={['Student', 'Kind', 'Written', 'Attempts', 'Last error', 'Action']}
            >
              {data.items.map((item) => (
                <tr key={item.notificationId}>
                  <th scope="row">
                    {item.student.name} ({item.student.email})
                  </th>
                  <td>{item.kind.replaceAll('_', ' ')}</td>
                  <td>{formatDateTime(item.createdAt)}</td>
                  <td>{item.attempts}</td>
                  <td>{item.error}</td>
                  <td>
                    <ActionButton
                      label="Send again"
                      target={`the email to ${item.student.name}`}
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ id: item.notificationId })}
                    />
                  </td>
                </tr>
              ))}
            </Table>
            <Pager page={page} pageSize={20} total={data.total} onPage={setPage} what="failed emails" />
          </>
        )}
      </QueryView>
    </>
  );
}
