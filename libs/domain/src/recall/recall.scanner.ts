import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeaseScanner } from '../read-status/lease-scanner.js';
import { READ_TRACKING_SETTINGS, type ReadTrackingSettings } from '../read-status/read-tracking.settings.js';
import { RecallSendUseCase } from './recall-send.usecase.js';

/**
 * Carries out requested recalls. The request lives in Postgres (`sends.recall_requested_at` until
 * `recall_completed_at`); a scan claims one open recall at a time with a lease (`SKIP LOCKED`, so two workers never
 * recall the same send at once), which doubles as the not-before time of a retry. A worker that dies mid-recall
 * leaves the lease, after which any worker resumes where the batches' recall states say it stopped.
 */
@Injectable()
export class RecallScanner extends LeaseScanner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recall: RecallSendUseCase,
    @Inject(READ_TRACKING_SETTINGS) private readonly readTracking: ReadTrackingSettings,
  ) {
    super(RecallScanner.name, readTracking);
  }

  /** Works through every recall that is due; returns how many sends it took up. */
  protected async scan(): Promise<number> {
    let taken = 0;
    while (!this.stopped) {
      const [rows]: [{ id: string }[], number] = await this.dataSource.query(
        `UPDATE sends SET recall_lease_until = now() + $1 * interval '1 millisecond'
          WHERE id = (SELECT id FROM sends
                       WHERE recall_requested_at IS NOT NULL AND recall_completed_at IS NULL
                         AND (recall_lease_until IS NULL OR recall_lease_until <= now())
                       ORDER BY recall_requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [this.readTracking.leaseMs],
      );
      const id = rows[0]?.id;
      if (!id) break;
      taken++;
      await this.runClaimed(`recall of send ${id}`, id, () => this.recall.execute(id), { sendId: id });
    }
    return taken;
  }

  protected async holdBack(chatConfiguration: string, sendId: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE sends SET recall_lease_until = now() + $2 * interval '1 millisecond'
        WHERE chat_configuration = $1 AND recall_requested_at IS NOT NULL AND recall_completed_at IS NULL
          AND (id = $3 OR recall_lease_until IS NULL OR recall_lease_until < now() + $2 * interval '1 millisecond')`,
      [chatConfiguration, delayMs, sendId],
    );
  }
}
