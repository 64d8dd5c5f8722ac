import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { mergingtonLink, type AppRouter } from '@mergington/client';

export const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } });

// The shared client's link: same transformer and batching as the importer and other programs.
export const trpcClient = createTRPCClient<AppRouter>({ links: [mergingtonLink({ url: '/trpc' })] });

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
