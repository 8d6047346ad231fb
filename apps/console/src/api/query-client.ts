import { QueryClient } from '@tanstack/react-query';
import { retryDelayMs, shouldRetryRead } from './retry-policy';

/**
 * The console's query client: reads retry while dingrelay is unreachable or busy (the layout's banner says so),
 * changes never retry on their own. A 401 ends the session (SessionProvider watches the caches).
 */
export function createConsoleQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetryRead, retryDelay: retryDelayMs, staleTime: 5_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
