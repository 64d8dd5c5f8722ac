import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useTRPC } from '../trpc.ts';

/** The header's way to the notification centre, with the number unread (checked every 30 s). */
export function UnreadLink({ current }: { current: boolean }) {
  const trpc = useTRPC();
  const count = useQuery(trpc.notifications.unreadCount.queryOptions(undefined, { refetchInterval: 30_000 }));
  const unread = count.data?.unread ?? 0;
  return (
    <Link href="/notifications" aria-current={current ? 'page' : undefined}>
      Notifications
      {unread > 0 && (
        <span className="badge" data-testid="unread-count">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </Link>
  );
}
