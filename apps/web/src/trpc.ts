import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { mergingtonLink, type AppRouter } from '@mergington/client';
import { isNotSignedIn, markRefusedInSession } from './lib/errors.ts';

const SESSION = [['auth', 'session']];

/**
 * A call refused for want of a session while someone was signed in: the session may have ended (expired,
 * ended by a password change elsewhere). Asking for it again updates the header and sends a page for
 * signed-in users to the login; once it is gone, the error offers "Log in again" (`ErrorText`).
 */
const checkSession = (error: Error) => {
  if (!isNotSignedIn(error)) return;
  if (!queryClient.getQueriesData({ queryKey: SESSION }).some(([, user]) => user)) return;
  markRefusedInSession(error);
  void queryClient.invalidateQueries({ queryKey: SESSION });
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: checkSession }),
  mutationCache: new MutationCache({ onError: checkSession }),
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
