import type { Page } from '@mergington/contract';
import { sql, type Sql } from './sql.ts';

/** Which page of a list, from 1, and how many items a page holds (the contract's pageInput). */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** The rows a page covers: the one place its offset is worked out. */
export function pageBounds({ page, pageSize }: PageRequest): { limit: number; offset: number } {
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

/** `limit ... offset ...` of a page, for reads built with `sql`. */
export function pageClause(request: PageRequest): Sql {
  const { limit, offset } = pageBounds(request);
  return sql`limit ${limit} offset ${offset}`;
}

/** The column that gives a read's total beside its page of rows. */
export const TOTAL_COLUMN = sql`count(*) over () as total`;

/**
 * A page of items with the total of the whole list: from an ORM count, or from the first row's TOTAL_COLUMN
 * (PostgreSQL sends a bigint as text; no rows, no total).
 */
export function toPage<Item>(
  items: Item[],
  total: number | string | undefined,
  request: PageRequest,
): Page<Item> {
  return { items, total: Number(total ?? 0), page: request.page, pageSize: request.pageSize };
}
