import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { type DeliverBatchJob, QueueName } from '@dingrelay/contracts';
import type { JobOptions, Queue } from 'bull';
import { currentRequestContext } from '../logging/request-context.js';

/**
 * The use-case bounds DingTalk attempts itself (from the batch row, which survives lost jobs). Bull's attempts also
 * count hand-backs for pacing and pauses, so they are many; past them the reconciler takes the batch up again.
 */
export const DELIVER_BATCH_JOB_OPTIONS: JobOptions = {
  attempts: 1_000,
  backoff: { type: 'dingrelay' },
  removeOnComplete: true,
  removeOnFail: 1_000,
};

const ADD_BULK_CHUNK = 500;

export interface BatchToEnqueue {
  id: string;
  /** Milliseconds to wait before the batch may run (re-sends of flow-controlled users). */
  delayMs?: number;
}

/**
 * The only caller of `queue.add` for batch delivery. Job ids are batch ids, so enqueuing a batch twice while its job
 * exists is a no-op, and a re-enqueued finished batch is ignored by the processor's claim.
 */
/** Bull states in which a job will still be processed. */
const LIVE_JOB_STATES: ReadonlySet<string> = new Set(['waiting', 'active', 'delayed', 'paused']);

@Injectable()
export class DeliverBatchProducer {
  constructor(@InjectQueue(QueueName.DeliverBatch) private readonly queue: Queue<DeliverBatchJob>) {}

  async enqueue(batches: readonly BatchToEnqueue[]): Promise<void> {
    // The request (or job) enqueuing them, so the worker's lines about these batches name it too.
    const requestId = currentRequestContext()?.requestId;
    for (let i = 0; i < batches.length; i += ADD_BULK_CHUNK) {
      await this.queue.addBulk(
        batches.slice(i, i + ADD_BULK_CHUNK).map((b) => ({
          data: requestId ? { batchId: b.id, requestId } : { batchId: b.id },
          opts: { ...DELIVER_BATCH_JOB_OPTIONS, jobId: b.id, delay: b.delayMs && b.delayMs > 0 ? b.delayMs : undefined },
        })),
      );
    }
  }

  /**
   * Enqueues the batch again unless a job for it will still run. A job that finished or gave up must be removed
   * before its id can be used again; so must a fragment of one that is in no list (Bull's `stuck`): what a worker
   * leaves when it writes to a job after Redis restarted empty under it. Left alone, such a fragment looked like a live
   * job to every pass, and its batch stayed open forever.
   */
  async requeue(batch: BatchToEnqueue): Promise<boolean> {
    const existing = await this.queue.getJob(batch.id);
    if (existing) {
      if (LIVE_JOB_STATES.has(await existing.getState())) return false;
      await existing.remove();
    }
    await this.enqueue([batch]);
    return true;
  }
}
