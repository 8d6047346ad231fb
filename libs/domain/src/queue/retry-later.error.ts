import type { RetryClass } from '@dingrelay/dingtalk-client';

/**
 * Thrown by a processor to hand a job back to Bull for another try after `delayMs`. The queue's `dingrelay` backoff
 * strategy reads the delay, so the use-case (which knows DingTalk's retry classes) decides the pacing, not Bull.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
    /** Set when a DingTalk call failed and is retried: its retry class. Absent for hand-backs before any call. */
    readonly retryClass?: RetryClass,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** The longest wait after an unexpected failure. */
export const UNEXPECTED_FAILURE_MAX_DELAY_MS = 30_000;

/**
 * Exponential fallback for unexpected failures (Postgres or Redis unreachable, a bug): 1 s doubling to 30 s. Bull's
 * `attemptsMade` also counts every pacing hand-back, so a batch that waited its turn a dozen times would otherwise
 * meet its first outage with minutes of backoff; the low cap bounds how long recovery after an outage takes.
 */
export function dingrelayBackoff(attemptsMade: number, error: unknown): number {
  if (error instanceof RetryLaterError) return error.delayMs;
  return Math.min(1_000 * 2 ** Math.max(0, attemptsMade - 1), UNEXPECTED_FAILURE_MAX_DELAY_MS);
}
