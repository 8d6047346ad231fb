import { DingrelayApiError, DingrelayConnectionError } from './api-client.errors.js';

/**
 * Statuses that say "not now" rather than "no": dingrelay's per-key rate limit (429) and dingrelay, a proxy in front
 * of it or DingTalk behind it being down or overloaded (502, 503, 504).
 */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];

/**
 * How a call that failed for a passing reason is repeated: exponential backoff with full jitter (a random wait between
 * 0 and `baseDelayMs · 2^(attempt-1)`, capped at `maxDelayMs`), or exactly the `Retry-After` the API asked for.
 */
export interface RetryOptions {
  /** How many times to repeat a call (not counting the first attempt). Default 3; 0 never repeats. */
  retries?: number;
  /** The backoff's first ceiling, doubled on each retry. Default 500 ms. */
  baseDelayMs?: number;
  /**
   * Longest single wait. A `Retry-After` asking for more is not waited out: the error is thrown at once, so a caller
   * is never held for minutes without knowing. Default 20 s.
   */
  maxDelayMs?: number;
  /** Told before each wait, e.g. to log it. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** The answer's status; null when no answer came (connection refused or cut, timed out). */
  status: number | null;
  error: DingrelayApiError | DingrelayConnectionError;
  delayMs: number;
  method: string;
  path: string;
}

export const DEFAULT_RETRY: Readonly<Required<Omit<RetryOptions, 'onRetry'>>> = Object.freeze({ retries: 3, baseDelayMs: 500, maxDelayMs: 20_000 });

/** Worth asking again: no answer came, or the answer was 429, 502, 503 or 504. Never a 4xx the caller must fix. */
export function isRetryableError(error: unknown): error is DingrelayApiError | DingrelayConnectionError {
  if (error instanceof DingrelayConnectionError) return true;
  return error instanceof DingrelayApiError && RETRYABLE_STATUSES.includes(error.status);
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** `Retry-After` in whole seconds (rounded up); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  const ms = parseRetryAfterMs(value, now);
  return ms === null ? null : Math.ceil(ms / 1000);
}

/** Full jitter: uniformly random in [0, min(maxDelayMs, baseDelayMs · 2^(attempt-1))). */
export function backoffDelayMs(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  return Math.floor(random() * Math.min(max, base * 2 ** (attempt - 1)));
}

/**
 * How long to wait before retry number `attempt` (1-based) after `error`, or null when the call should not be
 * repeated: retries used up, an error that repeating cannot fix, or a `Retry-After` longer than `maxDelayMs`.
 */
export function retryDelayMs(options: RetryOptions, attempt: number, error: unknown, random: () => number = Math.random): number | null {
  if (attempt > (options.retries ?? DEFAULT_RETRY.retries) || !isRetryableError(error)) return null;
  const retryAfterMs = error instanceof DingrelayApiError ? error.retryAfterMs : null;
  if (retryAfterMs === null) return backoffDelayMs(attempt, options, random);
  return retryAfterMs > (options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs) ? null : retryAfterMs;
}
