// The import's news (matched by title and activity).
import type { ImportDataset } from '@mergington/contract';
import { activityId, upsert, type SchoolLife } from './records.ts';

export async function importNews({ em, activityIds, counts }: SchoolLife, dataset: ImportDataset) {
  for (const news of dataset.news) {
    const author = news.authorUsername
      ? ((
          await em.execute<{ id: number }[]>(`select id from teacher where username = ?`, [
            news.authorUsername,
          ])
        )[0]?.id ?? null)
      : null;
    await upsert(
      em,
      'news',
      {
        'title::text': news.title,
        activity_id: news.activity ? await activityId(em, activityIds, news.activity) : null,
      },
      {
        'content::text': news.content,
        'category::text': news.category,
        pinned: news.pinned,
        author_id: author,
      },
      counts.news,
    );
  }
}
