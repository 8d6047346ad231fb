import { sendIdOrNotFound } from '../ids/uuid.js';
import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { assertSendConfigurationExists } from '../chat-configurations/send-configuration-deleted.error.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';
import { DingrelayMetrics } from '../observability/dingrelay-metrics.js';
import { BatchStatus, OPEN_BATCH_STATUSES } from '../persistence/entities/batch.entity.js';
import { DINGTALK_READ_WINDOW_MS } from '../read-status/read-tracking.settings.js';
import { SendEventLog } from '../send-events/send-event-log.js';
import { cancelUnsentBatches } from '../sends/cancel-unsent-batches.js';
import { completeSendIfSettled } from '../sends/complete-send-if-settled.js';
import { RecallEventType } from './recall-status.js';

export interface RequestRecallResult {
  /** True when the send's recall had already been requested: nothing changed (a replay of the first request). */
  replayed: boolean;
  requestedAt: Date;
  /** Delivered batches inside DingTalk's 24 h window: the worker recalls these (≤ 20 per call). */
  batchesToRecall: number;
  /** Delivered batches past the window: their recipients are marked recall failed, `expired`. */
  batchesExpired: number;
  /** Batches in flight when the recall was asked: recalled once they settle as sent. */
  batchesInFlight: number;
  /** Recipients of unsent batches cancelled by this request. */
  recipientsCancelled: number;
}

/**
 * `POST /v1/sends/:id/recall`: records the request and leaves the DingTalk calls to the worker's recall scanner (a
 * send can have 5,000 processQueryKeys). A send still delivering first stops its unsent batches, as a cancel would;
 * batches in flight are recalled once they settle. Refused (409, no DingTalk call) when nothing delivered is inside
 * DingTalk's 24 h window and nothing is still in flight, or when the send's configuration was deleted since (whatever
 * has its name now is another app). Asking again returns the first request (`replayed`).
 */
@Injectable()
export class RequestRecallUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly events: SendEventLog,
    /** Absent in processes without metrics (ObservabilityModule). */
    @Optional() private readonly metrics?: DingrelayMetrics,
  ) {}

  async execute(sendId: string, actor: AuditActor): Promise<RequestRecallResult> {
    const target = { actor, action: 'send.recall', targetType: 'send', targetId: sendId };
    try {
      const result = await this.request(sendIdOrNotFound(sendId), target);
      // Unsent batches stopped by the recall: their recipients end cancelled here, once committed.
      this.metrics?.recipientsSettledBy({ cancelled: result.recipientsCancelled });
      return result;
    } catch (error) {
      await this.audit.recordRefusal(this.dataSource.manager, target, error);
      throw error;
    }
  }

  private request(sendId: string, target: { actor: AuditActor; action: string; targetType: string; targetId: string }) {
    return this.dataSource.transaction(async (tx): Promise<RequestRecallResult> => {
      const [send]: { completed_at: Date | null; recall_requested_at: Date | null }[] = await tx.query(
        `SELECT completed_at, recall_requested_at FROM sends WHERE id = $1 FOR UPDATE`,
        [sendId],
      );
      if (!send) throw new NotFoundError('Send', sendId);
      // Before anything else, a replay included: the send's app is gone, and no other one recalls it.
      await assertSendConfigurationExists(tx, sendId);
      const [counts]: { in_window: number; expired: number; open: number; pending: number }[] = await tx.query(
        `SELECT count(*) FILTER (WHERE status = $2 AND process_query_key IS NOT NULL
                                   AND sent_at > now() - $4 * interval '1 millisecond')::int AS in_window,
                count(*) FILTER (WHERE status = $2 AND process_query_key IS NOT NULL
                                   AND sent_at <= now() - $4 * interval '1 millisecond')::int AS expired,
                count(*) FILTER (WHERE status = ANY($3))::int AS open,
                count(*) FILTER (WHERE status = $5)::int AS pending
           FROM batches WHERE send_id = $1`,
        [sendId, BatchStatus.Sent, OPEN_BATCH_STATUSES, DINGTALK_READ_WINDOW_MS, BatchStatus.Pending],
      );
      const { in_window: inWindow, expired, open, pending } = counts ?? { in_window: 0, expired: 0, open: 0, pending: 0 };
      if (send.recall_requested_at) {
        return {
          replayed: true,
          requestedAt: send.recall_requested_at,
          batchesToRecall: inWindow,
          batchesExpired: expired,
          batchesInFlight: open,
          recipientsCancelled: 0,
        };
      }
      if (inWindow === 0 && open === 0) {
        throw new ConflictError(
          expired > 0
            ? `Send ${sendId} was delivered more than 24 h ago: DingTalk recalls messages only within 24 h of sending, so nothing was recalled`
            : `Send ${sendId} has no delivered message to recall`,
        );
      }
      const cancelled = send.completed_at ? { batches: 0, recipients: 0 } : await cancelUnsentBatches(tx, sendId);
      const [[{ requested_at: requestedAt }]]: [{ requested_at: Date }[], number] = await tx.query(
        `UPDATE sends SET recall_requested_at = now(), recall_lease_until = NULL, updated_at = now() WHERE id = $1
         RETURNING recall_requested_at AS requested_at`,
        [sendId],
      );
      const result: RequestRecallResult = {
        replayed: false,
        requestedAt,
        batchesToRecall: inWindow,
        batchesExpired: expired,
        batchesInFlight: open - pending,
        recipientsCancelled: cancelled.recipients,
      };
      const { replayed: _replayed, requestedAt: _at, ...details } = result;
      await this.events.append(tx, [{ sendId, type: RecallEventType.Requested, details: { ...details, by: target.actor.name } }]);
      await this.audit.record(tx, { ...target, details });
      await completeSendIfSettled(tx, sendId);
      return result;
    });
  }
}
