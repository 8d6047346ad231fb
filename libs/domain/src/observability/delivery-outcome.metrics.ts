import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueName } from '@dingrelay/contracts';
import type { Job } from 'bull';
import type { DeliverBatchOutcome } from '../delivery/deliver-batch.usecase.js';
import { RetryLaterError } from '../queue/retry-later.error.js';
import { DingrelayMetrics } from './dingrelay-metrics.js';
import { ObservedQueues } from './observed-queues.js';

/**
 * Settled recipients and retries, from the outcome of each deliver-batch job this process ran: Bull emits it once the
 * job's settlement has committed, so nothing is added to the delivery's own path. Only in processes that consume
 * the queue (the worker); the API never runs a job.
 */
@Injectable()
export class DeliveryOutcomeMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly queues: ObservedQueues,
    private readonly metrics: DingrelayMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const queue = this.queues.all().get(QueueName.DeliverBatch);
    queue?.on('completed', (_job: Job, outcome: DeliverBatchOutcome | undefined) => this.completed(outcome));
    queue?.on('failed', (_job: Job, error: Error) => this.failed(error));
  }

  private completed(outcome: DeliverBatchOutcome | undefined): void {
    if (outcome?.kind !== 'settled') return;
    this.metrics.recipientsSettledBy(outcome.counts);
    // Flow-controlled users go out again alone, each in a batch of its own.
    this.metrics.retryScheduled('flow-control', outcome.resent);
  }

  private failed(error: Error): void {
    const reason = retryReasonOf(error);
    if (reason) this.metrics.retryScheduled(reason);
  }
}

/**
 * Why a deliver-batch job was handed back, as dingrelay_delivery_retries_total counts it: DingTalk failed the call
 * → its retry class (carried on the hand-back); waiting for a pace slot, a quota pause, a shutdown or an unreadable
 * configuration → undefined, not a retry (no call failed); anything else thrown → `job-error`, which Bull retries
 * with backoff.
 */
export function retryReasonOf(error: unknown): string | undefined {
  if (!(error instanceof RetryLaterError)) return 'job-error';
  return error.retryClass;
}
