/** Statuses that say "not now" rather than "no": dingrelay's rate limit (429) and a dependency that is down (503). */
export const RETRYABLE_STATUSES: readonly number[] = [429, 503];

/**
 * Which requests are repeated: a 429 always (the per-key rate limit answers before anything is done); a 503 only when
 * repeating cannot do the work twice (reads, PUT/PATCH/DELETE, replay-safe actions such as recall and revoke, and a
 * send created with an Idempotency-Key). A send without one, a new API key or configuration is not repeated after a
 * 503: the first attempt may have been recorded before the failure.
 */
export interface RetryOptions {
  /** How many times to repeat a request answered 429 or 503 (0: never, the default). */
  retries: number;
  /** Longest wait before a retry; a `Retry-After` asking for more is not waited out and the error is thrown. Default 30 s. */
  maxDelayMs?: number;
  /** Wait when the answer has no `Retry-After`: doubled on each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Told before each wait, e.g. to log it. */
  onRetry?: (info: { attempt: number; status: number; delayMs: number; method: string; path: string }) => void;
}

export const NO_RETRY: RetryOptions = { retries: 0 };

/** `Retry-After` as seconds: either delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** How long to wait before retry number `attempt` (1-based), or null when it should not be retried. */
export function retryDelayMs(
  options: RetryOptions,
  attempt: number,
  status: number,
  retryAfterSeconds: number | null,
  replaySafe: boolean,
): number | null {
  if (attempt > options.retries || !RETRYABLE_STATUSES.includes(status)) return null;
  if (status !== 429 && !replaySafe) return null;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const delayMs = retryAfterSeconds !== null ? retryAfterSeconds * 1000 : (options.baseDelayMs ?? 500) * 2 ** (attempt - 1);
  return delayMs > maxDelayMs ? null : delayMs;
}
