import { DingrelayApiError, isRetryableError } from '@dingrelay/contracts/client';

/**
 * Answers worth asking again: the API unreachable, overloaded, restarting, or over the key's rate — the client's own
 * classification, so the console and every other client of dingrelay agree on what is passing.
 */
export const isTransient: (error: unknown) => boolean = isRetryableError;

/**
 * Reads retry while the failure is transient, for as long as it lasts (the banner says so); anything else (a 4xx)
 * is shown at once. Changes (mutations) are never retried by the console: the user decides.
 */
export function shouldRetryRead(failureCount: number, error: unknown): boolean {
  return isTransient(error) && failureCount < 1_000;
}

/** 1 s, 2 s, 4 s … capped at 15 s; a Retry-After from the API wins. */
export function retryDelayMs(failureCount: number, error: unknown): number {
  if (error instanceof DingrelayApiError && error.retryAfterMs !== null) return Math.min(error.retryAfterMs, 60_000);
  return Math.min(1000 * 2 ** failureCount, 15_000);
}
