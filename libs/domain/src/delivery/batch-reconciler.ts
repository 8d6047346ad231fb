import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPEN_BATCH_STATUSES } from '../persistence/entities/batch.entity.js';
import { DeliverBatchProducer } from '../queue/deliver-batch.producer.js';
import type { DeliverySettings } from './delivery.settings.js';
import { DELIVERY_SETTINGS } from './delivery.tokens.js';

const BATCHES_PER_PASS = 1_000;

/**
 * Postgres is the source of truth, Redis only carries work: any open batch without a live job (Redis flushed or
 * restarted, the API unable to enqueue, a job that exhausted Bull's attempts) is enqueued again. Job ids are batch
 * ids, so several workers reconciling at once cannot double a job.
 */
@Injectable()
export class BatchReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BatchReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: DeliverBatchProducer,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.reconcileOnce().catch(() => undefined), this.settings.reconcileIntervalMs);
    this.timer.unref();
  }

  /** Before connections close: a pass under way still needs Postgres and Redis. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** No further passes; waits for the one under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; returns how many batches were enqueued again. Overlapping calls share the pass under way. */
  reconcileOnce(olderThanMs = this.settings.reconcileAfterMs): Promise<number> {
    this.running ??= this.pass(olderThanMs).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(olderThanMs: number): Promise<number> {
    try {
      const rows: { id: string; delay_ms: number }[] = await this.dataSource.query(
        `SELECT id, GREATEST(0, EXTRACT(EPOCH FROM (not_before - now())) * 1000)::int AS delay_ms
           FROM batches
          WHERE status = ANY($1) AND updated_at < now() - $2 * interval '1 millisecond'
          ORDER BY updated_at
          LIMIT $3`,
        [OPEN_BATCH_STATUSES, olderThanMs, BATCHES_PER_PASS],
      );
      let requeued = 0;
      for (const row of rows) {
        if (await this.producer.requeue({ id: row.id, delayMs: row.delay_ms ?? 0 })) requeued += 1;
      }
      if (requeued > 0) this.logger.warn(`re-enqueued ${requeued} batches that had no live job`);
      return requeued;
    } catch (error) {
      this.logger.error(`reconcile pass failed: ${(error as Error).message}`);
      throw error;
    }
  }
}
