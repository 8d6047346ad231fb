/** How the worker paces retries of one batch; defaults suit DingTalk's documented limits (spec §8). */
export interface DeliverySettings {
  /** DingTalk calls per batch before its recipients are failed with the last error. */
  maxAttempts: number;
  /** Floor of the backoff between retries of transient failures, before jitter. */
  retryBaseDelayMs: number;
  /** Backoff ceiling for any retry. */
  retryMaxDelayMs: number;
  /** Throttled calls (QPS 403, `send.too.fast`) per batch before its recipients are failed as throttled. */
  maxThrottledAttempts: number;
  /** How long deliveries through a configuration pause when DingTalk says its monthly quota is spent. */
  quotaPauseMs: number;
  /**
   * Pace waits up to this long are slept through by the worker; longer ones keep their slot and hand the job back to
   * the queue until then. Keep it under one pacing interval (55 ms at 18 calls/s): worker slots sleeping for one
   * app's pace would otherwise hold up every other app's batches behind its backlog.
   */
  paceInlineWaitMs: number;
  /** Sends per flow-controlled user (the first included) before it is failed as flow-controlled. */
  flowControlMaxAttempts: number;
  /**
   * First wait before a flow-controlled user is re-sent; doubles per attempt. A user may wait up to half as long
   * again, to share a call with the send's other flow-controlled users (each call spends monthly quota).
   */
  flowControlBaseDelayMs: number;
  /** Batches processed at once by one worker process. */
  concurrency: number;
  /** How often the reconciler looks for batches that lost their job (Redis flushed, crash before enqueue). */
  reconcileIntervalMs: number;
  /** Open batches untouched for this long are checked by the reconciler. */
  reconcileAfterMs: number;
  /** At shutdown, how long jobs under way may take to finish before the worker stops waiting (see WorkerDrain). */
  shutdownTimeoutMs: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  maxAttempts: 8,
  maxThrottledAttempts: 100,
  quotaPauseMs: 10 * 60_000,
  paceInlineWaitMs: 40,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 5 * 60_000,
  flowControlMaxAttempts: 5,
  flowControlBaseDelayMs: 2_000,
  concurrency: 8,
  reconcileIntervalMs: 30_000,
  reconcileAfterMs: 60_000,
  shutdownTimeoutMs: 25_000,
};
