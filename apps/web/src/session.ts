import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { clearSessionEnded } from './session-ended.ts';
import { useTRPC } from './trpc.ts';
import type { RouterOutputs } from './lib/shared.ts';

export type User = NonNullable<RouterOutputs['auth']['session']>;

/** Who is signed in: undefined while asking, null for nobody. */
export function useUser(): User | null | undefined {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.session.queryOptions(), staleTime: 60_000 }).data;
}

export const isStudent = (user: User | null | undefined) => user?.kind === 'student';
export const isTeacher = (user: User | null | undefined) => user?.kind === 'teacher';
export const isAdmin = (user: User | null | undefined) => user?.kind === 'teacher' && user.role === 'admin';

/** Signing in or out changes what every screen may show: everything is fetched again. */
export function useSessionChange() {
  const queryClient = useQueryClient();
  return () => {
    clearSessionEnded();
    return queryClient.resetQueries();
  };
}

export function useLogOut() {
  const trpc = useTRPC();
  const sessionChanged = useSessionChange();
  return useMutation(trpc.auth.logOut.mutationOptions({ onSettled: sessionChanged }));
}
