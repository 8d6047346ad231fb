import { sendIdOrNotFound } from '../ids/uuid.js';
import { Injectable, Optional } from '@nestjs/common';
import { RecipientStatus } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { type AuditEventInput, AuditTrail } from '../audit/audit-trail.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';
import { DingrelayMetrics } from '../observability/dingrelay-metrics.js';
import { SendEventLog, SendEventType } from '../send-events/send-event-log.js';
import { cancelUnsentBatches } from './cancel-unsent-batches.js';
import { completeSendIfSettled } from './complete-send-if-settled.js';

export interface CancelSendResult {
  /** Recipients cancelled by this call. */
  cancelled: number;
  /** Recipients whose batch a worker had already claimed: the call may be under way, so they finish normally. */
  inFlight: number;
}

/**
 * Cancels every batch of a send that no worker has claimed. A worker claims a batch under its row lock and this
 * cancels only `pending` batches under the same lock, so each batch is either sent or cancelled, never both. Batches
 * created or retried later (flow-control re-sends, transient retries) see `cancelled_at` and cancel themselves.
 */
@Injectable()
export class CancelSendUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly events: SendEventLog,
    /** Absent in processes without metrics (ObservabilityModule). */
    @Optional() private readonly metrics?: DingrelayMetrics,
  ) {}

  async execute(sendId: string, actor: AuditActor): Promise<CancelSendResult> {
    const target = { actor, action: 'send.cancel', targetType: 'send', targetId: sendId };
    try {
      const result = await this.cancel(sendIdOrNotFound(sendId), target);
      // Counted once committed: these recipients reached their final status here, not in a worker.
      this.metrics?.recipientsSettledBy({ cancelled: result.cancelled });
      return result;
    } catch (error) {
      await this.audit.recordRefusal(this.dataSource.manager, target, error);
      throw error;
    }
  }

  private async cancel(sendId: string, target: Omit<AuditEventInput, 'details'>): Promise<CancelSendResult> {
    return this.dataSource.transaction(async (tx) => {
      const [send]: { completed_at: Date | null; cancelled_at: Date | null }[] = await tx.query(
        `SELECT completed_at, cancelled_at FROM sends WHERE id = $1 FOR UPDATE`,
        [sendId],
      );
      if (!send) throw new NotFoundError('Send', sendId);
      if (send.completed_at && !send.cancelled_at) {
        throw new ConflictError(`Send ${sendId} has already completed; there is nothing left to cancel`);
      }
      const { batches: batchesCancelled, recipients: cancelled } = await cancelUnsentBatches(tx, sendId);
      const [{ n: inFlight }]: { n: number }[] = await tx.query(
        `SELECT count(*)::int AS n FROM recipients WHERE send_id = $1 AND status = $2`,
        [sendId, RecipientStatus.Pending],
      );
      const details = { cancelledRecipients: cancelled, cancelledBatches: batchesCancelled, inFlightRecipients: inFlight };
      await this.events.append(tx, [{ sendId, type: SendEventType.SendCancelled, details: { ...details, by: target.actor.name } }]);
      await this.audit.record(tx, { ...target, details });
      await completeSendIfSettled(tx, sendId);
      return { cancelled, inFlight };
    });
  }
}
