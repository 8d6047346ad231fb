import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type DeliverBatchJob, QueueName } from '@dingrelay/contracts';
import type { Job, Queue } from 'bull';
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

  async handle(job: Job<DeliverBatchJob>): Promise<DeliverBatchOutcome> {
    const outcome = await this.deliverBatch.execute(job.data.batchId);
    if (outcome.kind === 'retry') throw new RetryLaterError(outcome.reason, outcome.delayMs);
    return outcome;
  }
}
