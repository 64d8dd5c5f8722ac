import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Activity, News } from '../../entities/index.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { type NewsCreateInput, type NewsDto, type NewsUpdateInput, type Page } from '@mergington/contract';
import { pageClause, TOTAL_COLUMN, toPage } from '../../paging.ts';
import { query, sql, type Sql, whereAll } from '../../sql.ts';
import { activityMembers, notify } from '../notifications/notifications.ts';

interface NewsRow {
  id: number;
  title: string;
  content: string;
  category: NewsDto['category'];
  activity_id: number | null;
  activity_name: string | null;
  author_id: number | null;
  author_name: string | null;
  pinned: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const NEWS_COLUMNS = sql`n.id, n.title, n.content, n.category, n.activity_id, a.name as activity_name, n.author_id,
         t.name as author_name, n.pinned, n.version, n.created_at, n.updated_at`;
const NEWS_FROM = sql`from news n left join activity a on a.id = n.activity_id left join teacher t on t.id = n.author_id`;

const toNewsDto = (row: NewsRow): NewsDto => ({
  id: row.id,
  title: row.title,
  content: row.content,
  category: row.category,
  activity: row.activity_id === null ? null : { id: row.activity_id, name: row.activity_name! },
  author: row.author_id === null ? null : { id: row.author_id, name: row.author_name! },
  pinned: row.pinned,
  version: row.version,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export async function getNews(em: EntityManager, id: number): Promise<NewsDto> {
  const [row] = await query<NewsRow>(em, sql`select ${NEWS_COLUMNS} ${NEWS_FROM} where n.id = ${id}`);
  if (!row) throw new NotFoundError('news item', id);
  return toNewsDto(row);
}

/** Pinned first, then newest; by category and activity. */
export async function listNews(
  em: EntityManager,
  input: { page: number; pageSize: number; category?: NewsDto['category']; activityId?: number },
): Promise<Page<NewsDto>> {
  const conditions: Sql[] = [];
  if (input.category) conditions.push(sql`n.category = ${input.category}`);
  if (input.activityId !== undefined) conditions.push(sql`n.activity_id = ${input.activityId}`);
  const rows = await query<NewsRow & { total: string }>(
    em,
    sql`select ${TOTAL_COLUMN}, ${NEWS_COLUMNS} ${NEWS_FROM} ${whereAll(conditions)}
         order by n.pinned desc, n.created_at desc, n.id desc ${pageClause(input)}`,
  );
  return toPage(rows.map(toNewsDto), rows[0]?.total, input);
}

async function requireActivity(em: EntityManager, activityId: number | null | undefined): Promise<void> {
  if (activityId && !(await em.count(Activity, { id: activityId })))
    throw new NotFoundError('activity', activityId);
}

export async function createNews(
  em: EntityManager,
  authorId: number,
  input: NewsCreateInput,
): Promise<NewsDto> {
  const id = await em.transactional(async (tx) => {
    await requireActivity(tx, input.activityId);
    const { activityId, ...fields } = input;
    const news = tx.create(News, { ...fields, activity: activityId, author: authorId });
    await tx.flush();
    if (activityId) {
      await notify(
        tx,
        await activityMembers(tx, activityId, (studentId, activityName) => ({
          studentId,
          kind: 'news_posted',
          payload: { activityId, activityName, newsId: news.id, title: news.title },
        })),
      );
    }
    return news.id;
  });
  return getNews(em, id);
}

/** Edits a news item the editor last saw at `version`; someone else's edit since is a conflict. */
export async function updateNews(em: EntityManager, input: NewsUpdateInput): Promise<NewsDto> {
  await em.transactional(async (tx) => {
    const news = await tx.findOne(News, input.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!news) throw new NotFoundError('news item', input.id);
    if (news.version !== input.version) {
      throw new ConflictError(
        `the news item was edited by someone else (version ${news.version}, not ${input.version}): reload it`,
        'version',
      );
    }
    await requireActivity(tx, input.activityId);
    const { id: _id, version: _version, activityId, ...fields } = input;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.assign(news, { [key]: value });
    }
    if (activityId !== undefined) Object.assign(news, { activity: activityId });
    await tx.flush();
  });
  return getNews(em, input.id);
}

export async function deleteNews(em: EntityManager, id: number): Promise<void> {
  if (!(await em.nativeDelete(News, { id }))) throw new NotFoundError('news item', id);
}

/** The activities most signed up for in the last 7 days. */
export async function trendingActivities(em: EntityManager, limit: number) {
  const rows = await em.execute<{ id: number; name: string; signups: number }[]>(
    `select a.id, a.name, count(*)::int as signups
       from activity_participant p join activity a on a.id = p.activity_id
      where p.signup_date > now() - interval '7 days'
      group by a.id, a.name order by signups desc, a.name limit ?`,
    [limit],
  );
  return rows;
}
