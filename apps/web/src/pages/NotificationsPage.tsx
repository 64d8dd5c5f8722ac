import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { formatDateTime } from '../lib/format.ts';
import { useInvalidate } from '../lib/queries.ts';
import { useTRPC } from '../trpc.ts';
import { ActionButton } from '../ui/buttons.tsx';
import { Pager } from '../ui/Pager.tsx';
import { ErrorText, QueryView } from '../ui/states.tsx';
import { PageHeading } from '../ui/focus.tsx';

/** A student's notification centre: newest first, unread marked, read one by one or all at once. */
export default function NotificationsPage() {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const [page, setPage] = useState(1);
  const list = useQuery({
    ...trpc.notifications.list.queryOptions({ page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  const changed = () => invalidate(trpc.notifications);
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSettled: changed }));
  const markAllRead = useMutation(trpc.notifications.markAllRead.mutationOptions({ onSettled: changed }));
  return (
    <>
      <PageHeading>Notifications</PageHeading>
      <p className="actions">
        <button
          type="button"
          className="secondary"
          disabled={markAllRead.isPending || !list.data?.items.some((item) => !item.readAt)}
          onClick={() => markAllRead.mutate()}
        >
          Mark all read
        </button>
        <Link href="/notifications/settings">Email settings</Link>
      </p>
      <ErrorText error={markRead.error ?? markAllRead.error} />
      <QueryView
        query={list}
        what="notifications"
        isEmpty={(data) => data.total === 0}
        empty="Nothing yet: signups, waitlists, signup rounds, meetings, payments and news in your activities show up here."
      >
        {(data) => (
          <>
            <ul className="list notifications">
              {data.items.map((item) => (
                <li key={item.id} className={item.readAt ? 'card' : 'card unread'}>
                  <h2>
                    {!item.readAt && <span className="visually-hidden">Unread: </span>}
                    <Link href={item.link}>{item.title}</Link>
                  </h2>
                  <p>{item.body}</p>
                  <p className="muted">{formatDateTime(item.createdAt)}</p>
                  {!item.readAt && (
                    <ActionButton
                      label="Mark read"
                      target={item.title}
                      disabled={markRead.isPending}
                      onClick={() => markRead.mutate({ id: item.id })}
                    />
                  )}
                </li>
              ))}
            </ul>
            <Pager page={page} pageSize={20} total={data.total} onPage={setPage} what="notifications" />
          </>
        )}
      </QueryView>
    </>
  );
}
