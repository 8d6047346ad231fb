import { DingrelayClient } from '@dingrelay/contracts/client';

/**
 * The console's one API client: the API that served the page, with the key the user pasted. Its own retries are off:
 * reads that fail for the network, a 429 or a 502/503/504 are retried by TanStack Query (with the client's
 * classification, ./retry-policy.ts), so the page can show that it is retrying; changes are never retried.
 */
export function createConsoleClient(apiKey: string, origin: string = window.location.origin): DingrelayClient {
  return new DingrelayClient({ baseUrl: origin, apiKey, timeoutMs: 30_000, userAgent: 'dingrelay-console', retry: false });
}
