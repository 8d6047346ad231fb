import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueueName } from '@dingrelay/contracts';
import type { Queue } from 'bull';
import { finishedWithin } from '../async/time-limit.js';
import { queueProcessingState } from '../observability/bull-internals.js';
import { ShutdownState } from '../observability/shutdown-state.js';
import { registeredQueue } from '../queue/registered-queue.js';
import { ReadStatusScanner } from '../read-status/read-status.scanner.js';
import { RecallScanner } from '../recall/recall.scanner.js';
import { BatchReconciler } from './batch-reconciler.js';
import { DeliverBatchProcessor } from './deliver-batch.processor.js';
import type { DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';

export interface DrainResult {
  /** True when every job and scan under way finished (or handed its job back) within the timeout. */
  drained: boolean;
  /** Deliveries of this process still running when the drain ended (0 when drained). */
  stillRunning: number;
}

/**
 * The worker's graceful stop, run before any connection closes (on SIGTERM through the shutdown-signal handler, or
 * by `app.close()`): mark the process as draining (readiness answers 503, and a delivery that has not called
 * DingTalk yet hands its job back to the queue untouched — see DeliverBatchUseCase), stop fetching jobs from every
 * queue this process consumes, stop the reconciler and the read-status/recall scanners, and wait up to the shutdown
 * timeout for the jobs and scans under way.
 *
 * Past the timeout the drain gives up waiting and the process exits: a job still inside its DingTalk call stays
 * `active` in Bull and `in_flight` in Postgres, and the existing recovery takes it from there — Bull's stalled-job
 * check hands the job to another worker once its lock expires (STALLED_JOB_TIMEOUT_MS), or the reconciler
 * re-enqueues the batch, and the claim then counts the unanswered call as ambiguous: re-sent under at-least-once,
 * `unknown` under at-most-once. A scan's claimed read-status polls and recalls are taken up again when their lease
 * ends.
 */
@Injectable()
export class WorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining: Promise<DrainResult> | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly state: ShutdownState,
    private readonly deliveries: DeliverBatchProcessor,
    private readonly reconciler: BatchReconciler,
    private readonly readStatusScanner: ReadStatusScanner,
    private readonly recallScanner: RecallScanner,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {}

  beforeApplicationShutdown(): Promise<unknown> {
    return this.drain();
  }

  /** Idempotent: later calls share the first drain. */
  drain(): Promise<DrainResult> {
    this.draining ??= this.run(this.settings.shutdownTimeoutMs);
    return this.draining;
  }

  private async run(timeoutMs: number): Promise<DrainResult> {
    this.state.begin();
    const queues = this.consumedQueues();
    const running = () => this.deliveries.inProgress;
    this.logger.log(
      `draining: taking no new jobs; waiting up to ${timeoutMs} ms for ${running()} deliveries in progress, other jobs and the scanners`,
    );
    // Local pause: this process stops fetching (the blocking fetch is cut at once) and the promise resolves once its
    // running jobs have finished; other workers keep taking jobs from the queue.
    const work = Promise.all([
      ...queues.map((q) => q.pause(true).catch((error: Error) => this.logger.warn(`pausing ${q.name}: ${error.message}`))),
      this.reconciler.stop(),
      this.readStatusScanner.stop(),
      this.recallScanner.stop(),
    ]);
    if (await finishedWithin(work, timeoutMs)) {
      this.logger.log('drained: every job in progress finished or was handed back to the queue');
      return { drained: true, stillRunning: 0 };
    }
    const stillRunning = running();
    this.logger.warn(
      `shutdown timeout (${timeoutMs} ms) reached with ${stillRunning} deliveries still running; they are left to the ` +
        'stalled-job check and the reconciler (a batch caught mid-call is treated as an ambiguous attempt)',
    );
    return { drained: false, stillRunning };
  }

  /** The queues this process has registered a processor for (each module registers its own). */
  private consumedQueues(): Queue[] {
    return Object.values(QueueName)
      .map((name) => registeredQueue(this.moduleRef, name))
      .filter((queue): queue is Queue => queue !== undefined && queueProcessingState(queue).consumed);
  }
}
