import {
  createNews,
  deleteNews,
  getNews,
  idInput,
  listNews,
  newsCreateInput,
  newsListInput,
  newsSchema,
  newsUpdateInput,
  pageOf,
  trendingActivities,
  trendingInput,
  trendingSchema,
  updateNews,
} from '@mergington/db';
import { deletedOutput } from '../outputs.ts';
import { publicProcedure, router, teacherProcedure } from '../trpc.ts';

export const newsRouter = router({
  list: publicProcedure
    .input(newsListInput)
    .output(pageOf(newsSchema))
    .query(({ ctx, input }) => listNews(ctx.em, input)),
  get: publicProcedure
    .input(idInput)
    .output(newsSchema)
    .query(({ ctx, input }) => getNews(ctx.em, input.id)),
  /** The activities most signed up for in the last 7 days, shown beside the news. */
  trending: publicProcedure
    .input(trendingInput)
    .output(trendingSchema)
    .query(({ ctx, input }) => trendingActivities(ctx.em, input.limit)),
  create: teacherProcedure
    .input(newsCreateInput)
    .output(newsSchema)
    .mutation(({ ctx, input }) => createNews(ctx.em, ctx.user.id, input)),
  update: teacherProcedure
    .input(newsUpdateInput)
    .output(newsSchema)
    .mutation(({ ctx, input }) => updateNews(ctx.em, input)),
  delete: teacherProcedure
    .input(idInput)
    .output(deletedOutput)
    .mutation(async ({ ctx, input }) => {
      await deleteNews(ctx.em, input.id);
      return input;
    }),
});
