import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
import type { AppRouter } from '@mergington/api';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type MergingtonClient = TRPCClient<AppRouter>;

export interface ClientOptions {
  /** The API's tRPC endpoint, e.g. http://localhost:3000/trpc (or `/trpc` in the browser). */
  url: string;
  /** A session token for scripts and other programs; the web app uses its cookie instead. */
  token?: string;
  fetch?: typeof fetch;
}

/** The one typed client of the Mergington API, used by the web app, the importer and your own code. */
export function createClient({ url, token, fetch }: ClientOptions): MergingtonClient {
  return createTRPCClient<AppRouter>({ links: [mergingtonLink({ url, token, fetch })] });
}

/** The link behind createClient, for clients built another way (the web app's React Query client). */
export function mergingtonLink({ url, token, fetch }: ClientOptions) {
  return httpBatchLink<AppRouter>({
    url,
    transformer: superjson,
    // The API takes at most 20 calls in one request (MAX_BATCH_SIZE in apps/api/src/limits.ts).
    maxItems: 20,
    fetch,
    headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
  });
}
