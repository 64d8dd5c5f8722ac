import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { mergingtonLink, type AppRouter } from '@mergington/client';
import { isSignedOut, noteSessionEnded } from './session-ended.ts';

const SESSION_KEY = [['auth', 'session']];

// A session that ended under an open page: say so, and ask again who is signed in (the header says "Log in").
// Only while the app believes someone is signed in: the calls refused after a logout here (its reset refetches
// every query) are no news.
const onError = (error: unknown) => {
  if (!isSignedOut(error)) return;
  const signedIn = queryClient.getQueriesData({ queryKey: SESSION_KEY }).some(([, user]) => !!user);
  if (!signedIn) return;
  noteSessionEnded();
  void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A refusal (not found, not allowed, bad input) will not change by asking again.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof TRPCClientError && (error.data?.httpStatus ?? 500) < 500),
    },
  },
});

// The shared client's link: same transformer and batching as the importer and other programs. The
// session travels in an HttpOnly cookie, so the browser needs no token.
export const trpcClient = createTRPCClient<AppRouter>({ links: [mergingtonLink({ url: '/trpc' })] });

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
