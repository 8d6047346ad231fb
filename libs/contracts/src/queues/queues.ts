/**
 * Bull queue names and the payload each queue's jobs carry. Names are part of the persisted state in Redis:
 * never rename one, add a new queue instead. Payloads are ids only; processors reload state from Postgres.
 */
export const QueueName = {
  DeliverBatch: 'deliver-batch',
  /** A repeatable job: purges recipient-level detail of sends older than the retention period. */
  RecipientRetention: 'recipient-retention',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** One DingTalk batchSend call's worth of recipients (≤ 20), identified by the batch row's id. */
export interface DeliverBatchJob {
  batchId: string;
  /** The X-Request-Id of the API request that enqueued it, for the worker's log lines (absent when the worker did). */
  requestId?: string;
}

/** Nothing to carry: each run purges whatever is older than the period at that moment. */
export type RecipientRetentionJob = Record<string, never>;

/** Typed map from queue to job payload, shared by the producer and the processor. */
export interface QueuePayloads {
  [QueueName.DeliverBatch]: DeliverBatchJob;
  [QueueName.RecipientRetention]: RecipientRetentionJob;
}
