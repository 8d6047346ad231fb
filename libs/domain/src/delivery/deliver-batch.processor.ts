import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type DeliverBatchJob, QueueName } from '@dingrelay/contracts';
import type { Job, Queue } from 'bull';
import { runInRequestContext } from '../logging/request-context.js';
import { RetryLaterError } from '../queue/retry-later.error.js';
import { DeliverBatchUseCase, type DeliverBatchOutcome } from './deliver-batch.usecase.js';
import type { DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';

/**
 * Consumes deliver-batch jobs. Registered with `queue.process` rather than `@Process` so its concurrency comes from
 * configuration; all decisions live in the use-case.
 */
@Injectable()
export class DeliverBatchProcessor implements OnModuleInit {
  private readonly logger = new Logger(DeliverBatchProcessor.name);
  private running = 0;

  constructor(
    @InjectQueue(QueueName.DeliverBatch) private readonly queue: Queue<DeliverBatchJob>,
    private readonly deliverBatch: DeliverBatchUseCase,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {}

  onModuleInit(): void {
    this.queue.process(this.settings.concurrency, (job) => this.handle(job)).catch((error: unknown) => {
      this.logger.error(`deliver-batch processing stopped: ${(error as Error).message}`);
    });
  }

  handle(job: Job<DeliverBatchJob>): Promise<DeliverBatchOutcome> {
    const { batchId, requestId } = job.data;
    const context = { queue: QueueName.DeliverBatch, jobId: String(job.id), batchId, ...(requestId ? { requestId } : {}) };
    return runInRequestContext(context, async () => {
      this.running += 1;
      try {
        let outcome: DeliverBatchOutcome;
        try {
          outcome = await this.deliverBatch.execute(batchId);
        } catch (error) {
          // Postgres unreachable, a bug: Bull retries the job with its backoff, and the reason is on record here
          // rather than only in Bull's failed-job entry. (An unreadable configuration is held back by the use-case.)
          this.logger.error(`batch ${batchId}: ${(error as Error).message}; the job is retried`, (error as Error).stack);
          throw error;
        }
        this.logger.debug(`batch ${batchId}: ${describeOutcome(outcome)}`);
        if (outcome.kind === 'retry') throw new RetryLaterError(outcome.reason, outcome.delayMs, outcome.retryClass);
        return outcome;
      } finally {
        this.running -= 1;
      }
    });
  }

  /** Deliveries this process is running now (for the shutdown drain's log lines). */
  get inProgress(): number {
    return this.running;
  }
}

function describeOutcome(outcome: DeliverBatchOutcome): string {
  switch (outcome.kind) {
    case 'settled':
      return `${outcome.batchStatus} (${Object.entries(outcome.counts).map(([status, n]) => `${status} ${n}`).join(', ')})`;
    case 'retry':
      return `handed back for ${outcome.delayMs} ms (${outcome.reason})`;
    default:
      return `skipped (${outcome.reason})`;
  }
}
