import { DingrelayClient } from '@dingrelay/contracts/client';

/**
 * The console's one API client: the API that served the page, with the key the user pasted. Calls that fail for
 * the network or a 502/503/504 are retried by TanStack Query, not here, so the page can show that it is retrying.
 */
export function createConsoleClient(apiKey: string, origin: string = window.location.origin): DingrelayClient {
  return new DingrelayClient({ baseUrl: origin, apiKey, timeoutMs: 30_000, userAgent: 'dingrelay-console' });
}
