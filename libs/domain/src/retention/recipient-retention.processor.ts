import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { QueueName, type RecipientRetentionJob } from '@dingrelay/contracts';
import type { Job, Queue } from 'bull';
import { runInRequestContext } from '../logging/request-context.js';
import { type PurgeResult, PurgeRecipientDetailUseCase } from './purge-recipient-detail.usecase.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention.settings.js';

/** One schedule for every worker: Bull keys a repeatable job by its name and interval, so workers share it. */
const REPEAT_JOB_ID = 'recipient-retention';

/**
 * Schedules the purge as a Bull repeatable job on its own queue (one run per interval across all workers, and a run
 * never competes with deliveries for their queue's concurrency), and runs it.
 */
@Injectable()
export class RecipientRetentionProcessor implements OnModuleInit {
  private readonly logger = new Logger(RecipientRetentionProcessor.name);

  constructor(
    @InjectQueue(QueueName.RecipientRetention) private readonly queue: Queue<RecipientRetentionJob>,
    private readonly purge: PurgeRecipientDetailUseCase,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    // A changed interval would otherwise leave the old schedule running beside the new one.
    for (const job of await this.queue.getRepeatableJobs()) {
      if (Number(job.every) !== this.settings.intervalMs) await this.queue.removeRepeatableByKey(job.key);
    }
    await this.queue.add({}, {
      jobId: REPEAT_JOB_ID,
      repeat: { every: this.settings.intervalMs },
      removeOnComplete: 10,
      removeOnFail: 10,
    });
    this.queue.process(1, (job: Job<RecipientRetentionJob>) =>
      runInRequestContext({ queue: QueueName.RecipientRetention, jobId: String(job.id) }, () => this.run()),
    ).catch((error: unknown) => {
      this.logger.error(`recipient-retention processing stopped: ${(error as Error).message}`);
    });
  }

  async run(): Promise<PurgeResult> {
    return this.purge.execute();
  }
}
