import { DingrelayApiError, DingrelayConnectionError } from '@dingrelay/contracts/client';

/** Answers worth asking again: the API unreachable, overloaded, restarting, or over the key's rate. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DingrelayConnectionError) return true;
  return error instanceof DingrelayApiError && [429, 502, 503, 504].includes(error.status);
}

/**
 * Reads retry while the failure is transient, for as long as it lasts (the banner says so); anything else (a 4xx)
 * is shown at once. Changes (mutations) are never retried by the console: the user decides.
 */
export function shouldRetryRead(failureCount: number, error: unknown): boolean {
  return isTransient(error) && failureCount < 1_000;
}

/** 1 s, 2 s, 4 s … capped at 15 s; a Retry-After from the API wins. */
export function retryDelayMs(failureCount: number, error: unknown): number {
  if (error instanceof DingrelayApiError && error.retryAfterSeconds !== null) return Math.min(error.retryAfterSeconds, 60) * 1000;
  return Math.min(1000 * 2 ** failureCount, 15_000);
}
