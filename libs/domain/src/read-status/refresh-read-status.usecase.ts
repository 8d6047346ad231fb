import { sendIdOrNotFound } from '../ids/uuid.js';
import { Injectable } from '@nestjs/common';
import { RecipientStatus } from '@dingrelay/contracts';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { assertSendConfigurationExists } from '../chat-configurations/send-configuration-deleted.error.js';
import { ConflictError, NotFoundError } from '../errors/domain.error.js';
import { BatchStatus } from '../persistence/entities/batch.entity.js';
import { DINGTALK_READ_WINDOW_MS } from './read-tracking.settings.js';

export interface RefreshReadStatusResult {
  /** Batches whose readStatus poll was moved to now. */
  batches: number;
  /** Delivered recipients of those batches not known to have read yet. */
  unreadRecipients: number;
}

/**
 * `POST /v1/sends/:id/read-status/refresh`: makes a poll of every batch that still has something to learn due now;
 * the worker's scanner runs it (the API never calls DingTalk). Pollable: sent, inside DingTalk's 24 h window, not
 * recalled, with a delivered recipient not yet known to have read. Refused (409) when the send's configuration was
 * deleted since.
 */
@Injectable()
export class RefreshReadStatusUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async execute(sendId: string, actor: AuditActor): Promise<RefreshReadStatusResult> {
    const target = { actor, action: 'send.read-status.refresh', targetType: 'send', targetId: sendId };
    try {
      return await this.refresh(sendIdOrNotFound(sendId), target);
    } catch (error) {
      await this.audit.recordRefusal(this.dataSource.manager, target, error);
      throw error;
    }
  }

  private refresh(sendId: string, target: { actor: AuditActor; action: string; targetType: string; targetId: string }) {
    return this.dataSource.transaction(async (tx) => {
      const [send]: { id: string }[] = await tx.query(`SELECT id FROM sends WHERE id = $1 FOR UPDATE`, [sendId]);
      if (!send) throw new NotFoundError('Send', sendId);
      // The scanner would stop these polls anyway: no app is left to ask DingTalk with.
      await assertSendConfigurationExists(tx, sendId);
      const [row]: { batches: number; unread: number }[] = await tx.query(
        `WITH pollable AS (
           UPDATE batches b SET read_next_poll_at = now()
            WHERE b.send_id = $1 AND b.status = $2 AND b.process_query_key IS NOT NULL
              AND b.sent_at > now() - $3 * interval '1 millisecond'
              AND b.recall_status IS DISTINCT FROM 'recalled'
              AND EXISTS (SELECT 1 FROM recipients r WHERE r.batch_id = b.id AND r.status = $4
                             AND r.read_status IS DISTINCT FROM 'read')
           RETURNING b.id)
         SELECT (SELECT count(*) FROM pollable)::int AS batches,
                (SELECT count(*) FROM recipients r JOIN pollable p ON p.id = r.batch_id
                  WHERE r.status = $4 AND r.read_status IS DISTINCT FROM 'read')::int AS unread`,
        [sendId, BatchStatus.Sent, DINGTALK_READ_WINDOW_MS, RecipientStatus.Delivered],
      );
      const result = { batches: row?.batches ?? 0, unreadRecipients: row?.unread ?? 0 };
      if (result.batches === 0) {
        throw new ConflictError(
          `Send ${sendId} has no read status left to poll: DingTalk answers readStatus only within 24 h of sending, ` +
            'and only for delivered, unrecalled messages; every recipient of such messages may already have read',
        );
      }
      await this.audit.record(tx, { ...target, details: { ...result } });
      return result;
    });
  }
}
