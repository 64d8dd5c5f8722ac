import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { mergingtonLink, type AppRouter } from '@mergington/client';

export const queryClient = new QueryClient({
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
