import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '../../lib/shared.ts';
import { NewsForm, NewsItem } from '../../pages/NewsPage.tsx';
import { useTRPC } from '../../trpc.ts';
import { QueryView } from '../../ui/states.tsx';

type Activity = RouterOutputs['activities']['get'];

/** The news about the activity, with the News page's own item and form: post, pin or delete. */
export function ManageNews({ activity }: { activity: Activity }) {
  const trpc = useTRPC();
  const news = useQuery(trpc.news.list.queryOptions({ activityId: activity.id, pageSize: 100 }));
  return (
    <section aria-labelledby="news-tools-heading">
      <h2 id="news-tools-heading">News about {activity.name}</h2>
      <details className="card">
        <summary>Write a news item about {activity.name}</summary>
        <NewsForm activity={activity} />
      </details>
      <QueryView query={news} what="news" isEmpty={(page) => page.items.length === 0} empty="No news yet.">
        {(page) => (
          <ul className="list">
            {page.items.map((item) => (
              <NewsItem key={item.id} item={item} canEdit level={3} />
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}
