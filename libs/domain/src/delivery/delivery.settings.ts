/** How the worker paces retries of one batch; defaults suit DingTalk's documented limits (spec §8). */
export interface DeliverySettings {
  /** DingTalk calls per batch before its recipients are failed with the last error. */
  maxAttempts: number;
  /** Floor of the backoff between retries of transient failures, before jitter. */
  retryBaseDelayMs: number;
  /** Backoff ceiling for any retry. */
  retryMaxDelayMs: number;
  /** Sends per flow-controlled user (the first included) before it is failed as flow-controlled. */
  flowControlMaxAttempts: number;
  /** First wait before a flow-controlled user is re-sent alone; doubles per attempt, with jitter. */
  flowControlBaseDelayMs: number;
  /** Batches processed at once by one worker process. */
  concurrency: number;
  /** How often the reconciler looks for batches that lost their job (Redis flushed, crash before enqueue). */
  reconcileIntervalMs: number;
  /** Open batches untouched for this long are checked by the reconciler. */
  reconcileAfterMs: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  maxAttempts: 8,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 5 * 60_000,
  flowControlMaxAttempts: 5,
  flowControlBaseDelayMs: 2_000,
  concurrency: 8,
  reconcileIntervalMs: 30_000,
  reconcileAfterMs: 60_000,
};
