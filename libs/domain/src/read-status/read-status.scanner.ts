import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeaseScanner } from './lease-scanner.js';
import { PollReadStatusUseCase } from './poll-read-status.usecase.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from './read-tracking.settings.js';

/**
 * Runs the readStatus polls that are due. The schedule lives in Postgres (`batches.read_next_poll_at`), so nothing is
 * lost with Redis or a worker: a scan claims due batches by pushing their due time one lease ahead (`SKIP LOCKED`,
 * so workers never claim the same batch), and the poll writes the real next time. A worker that dies mid-poll leaves
 * the lease, after which any worker polls the batch again.
 */
@Injectable()
export class ReadStatusScanner extends LeaseScanner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly poll: PollReadStatusUseCase,
    @Inject(READ_TRACKING_SETTINGS) private readonly readTracking: ReadTrackingSettings,
  ) {
    super(ReadStatusScanner.name, readTracking);
  }

  /** Polls every batch due now (page after page); returns how many were polled. Overlapping calls share the scan. */
  protected async scan(): Promise<number> {
    let polled = 0;
    while (!this.stopped) {
      const claimed = await this.claim();
      await this.runAll(claimed);
      polled += claimed.length;
      if (claimed.length < this.readTracking.batchesPerScan) break;
    }
    return polled;
  }

  private async claim(): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE batches SET read_next_poll_at = now() + $2 * interval '1 millisecond'
        WHERE id IN (SELECT id FROM batches WHERE read_next_poll_at <= now()
                      ORDER BY read_next_poll_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [this.readTracking.batchesPerScan, this.readTracking.leaseMs],
    );
    return rows.map((r) => r.id);
  }

  protected async holdBack(chatConfiguration: string, batchId: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE batches b SET read_next_poll_at = now() + $2 * interval '1 millisecond'
         FROM sends s
        WHERE s.id = b.send_id AND s.chat_configuration = $1
          AND b.read_next_poll_at IS NOT NULL AND (b.id = $3 OR b.read_next_poll_at < now() + $2 * interval '1 millisecond')`,
      [chatConfiguration, delayMs, batchId],
    );
  }

  private async runAll(batchIds: string[]): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      // A stopping worker finishes the polls under way, not the rest of the page: their leases hand them on.
      while (!this.stopped && next < batchIds.length) {
        const id = batchIds[next++]!;
        await this.runClaimed(`readStatus poll of batch ${id}`, id, () => this.poll.execute(id), { batchId: id });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.readTracking.concurrency, batchIds.length) }, lane));
  }
}
