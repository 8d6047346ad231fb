/**
 * Thrown by a processor to hand a job back to Bull for another try after `delayMs`. The queue's `dingrelay` backoff
 * strategy reads the delay, so the use-case (which knows DingTalk's retry classes) decides the pacing, not Bull.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** Exponential fallback for unexpected failures (Postgres unreachable, a bug): 1 s doubling to 5 min. */
export function dingrelayBackoff(attemptsMade: number, error: unknown): number {
  if (error instanceof RetryLaterError) return error.delayMs;
  return Math.min(1_000 * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
}
