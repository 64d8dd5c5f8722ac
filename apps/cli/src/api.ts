// How every command reaches the API: the options that say where and as whom, and the typed client.
import { createClient, type MergingtonClient } from '@mergington/client';

/** How the CLI's commands reach the API and sign in as an admin. */
export const AUTH_OPTIONS = {
  url: { type: 'string', default: process.env.MERGINGTON_URL ?? 'http://127.0.0.1:3000/trpc' },
  token: { type: 'string', default: process.env.MERGINGTON_TOKEN },
  login: { type: 'string', default: process.env.MERGINGTON_LOGIN },
  password: { type: 'string', default: process.env.MERGINGTON_PASSWORD },
} as const;

/**
 * Runs `use` with a client signed in as an admin. A session opened for it (--login) is closed afterwards,
 * whatever happened, so that no run leaves a 7-day session behind.
 */
export async function asAdmin<T>(
  { url, token, login, password }: { url: string; token?: string; login?: string; password?: string },
  use: (client: MergingtonClient, token: string) => Promise<T>,
): Promise<T> {
  if (token) return use(apiClient(url, token), token);
  if (!login || !password) throw new Error('sign in as an admin: --token, or --login and --password');
  const session = await apiClient(url).auth.logIn.mutate({ as: 'teacher', login, password });
  const client = apiClient(url, session.token!);
  try {
    return await use(client, session.token!);
  } finally {
    // The run's own outcome is what to report; a session that cannot be closed expires by itself.
    await client.auth.logOut.mutate().catch(() => undefined);
  }
}

/** The typed client, saying which address it tried and what to check when that is not the API. */
export function apiClient(url: string, token?: string): MergingtonClient {
  const check = `(--url or MERGINGTON_URL)`;
  return createClient({
    url,
    token,
    fetch: async (...request: Parameters<typeof fetch>) => {
      let response: Response;
      try {
        response = await fetch(...request);
      } catch (error) {
        const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
        throw new Error(
          `cannot reach the API at ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}): is the API running, and is this its address? ${check}`,
        );
      }
      // tRPC answers JSON, errors included: anything else is another server, or the wrong path on it.
      const type = response.headers.get('content-type') ?? 'no content type';
      if (!type.startsWith('application/json')) {
        throw new Error(
          `${url} answered, but not as the Mergington API (HTTP ${response.status}, ${type}): is this the API's tRPC address, ending in /trpc? ${check}`,
        );
      }
      return response;
    },
  });
}
