import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Activity } from './activity.ts';
import { Teacher } from './teacher.ts';
import { timestamps } from './common.ts';
import { NEWS_CATEGORIES } from '@mergington/contract';

export const News = defineEntity({
  name: 'News',
  properties: {
    id: p.integer().primary(),
    title: p.string().length(200),
    content: p.text(),
    author: () => p.manyToOne(Teacher).nullable().deleteRule('set null').index(),
    category: p
      .enum([...NEWS_CATEGORIES])
      .default('general')
      .index(),
    /** Null means school-wide news. */
    activity: () => p.manyToOne(Activity).nullable().deleteRule('cascade').index(),
    pinned: p.boolean().default(false),
    version: p.integer().version(),
    ...timestamps,
  },
  indexes: [{ name: 'news_feed', properties: ['pinned', 'createdAt'] }],
});

export type News = InferEntity<typeof News>;
