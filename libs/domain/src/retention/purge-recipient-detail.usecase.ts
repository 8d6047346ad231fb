import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemActor } from '../audit/audit-actor.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention.settings.js';

export interface PurgeResult {
  cutoff: Date;
  sends: number;
  recipients: number;
  batches: number;
  sendEvents: number;
}

/** Sends looked up per round: each is then purged on its own, in statements of at most `chunkRows` rows. */
const SENDS_PER_ROUND = 100;

/**
 * Purges the recipient-level detail of finished sends created before the retention cutoff: the recipients rows, the
 * user lists of their batches, and user ids on their timeline (`userId`/`userIds` in send_events details). The send,
 * its batches (attempts, DingTalk request ids, error codes) and the rest of its timeline stay, and the recipients'
 * counts per status are stored on the send first, so `GET /v1/sends/:id` keeps answering. Audit events are never
 * touched (the database refuses it anyway).
 *
 * Per send: (1) freeze the counts in `recipient_summary`, unless completion already kept them (every send completed
 * since the 1764700000000 migration) — from then on the send is read from them; (2) delete and
 * rewrite in chunks, each its own short transaction; (3) stamp `recipients_purged_at`. A run that dies half-way
 * leaves the send unstamped, and the next run finishes it.
 */
@Injectable()
export class PurgeRecipientDetailUseCase {
  private readonly logger = new Logger(PurgeRecipientDetailUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  async execute(now: Date = new Date()): Promise<PurgeResult> {
    const cutoff = new Date(now.getTime() - this.settings.recipientRetentionDays * 86_400_000);
    const result: PurgeResult = { cutoff, sends: 0, recipients: 0, batches: 0, sendEvents: 0 };
    // The keyset as Postgres' own text: a JS Date would drop the microseconds and fetch the last send again.
    let after = { createdAt: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      const candidates: { id: string; created_at: string }[] = await this.dataSource.query(
        `SELECT id, created_at::text AS created_at FROM sends
          WHERE recipients_purged_at IS NULL AND completed_at IS NOT NULL
            AND created_at < $1 AND (created_at, id) > ($2::timestamptz, $3::uuid)
          ORDER BY created_at, id
          LIMIT $4`,
        [cutoff, after.createdAt, after.id, SENDS_PER_ROUND],
      );
      for (const send of candidates) {
        if (await this.purgeSend(send.id, result)) result.sends += 1;
      }
      const last = candidates.at(-1);
      if (!last || candidates.length < SENDS_PER_ROUND) break;
      after = { createdAt: last.created_at, id: last.id };
    }
    await this.audit.record(this.dataSource.manager, {
      actor: systemActor('retention'),
      action: 'retention.purge',
      targetType: 'recipients',
      targetId: `created-before:${cutoff.toISOString()}`,
      details: {
        retentionDays: this.settings.recipientRetentionDays,
        cutoff: cutoff.toISOString(),
        sends: result.sends,
        recipients: result.recipients,
        batches: result.batches,
        sendEvents: result.sendEvents,
      },
    });
    if (result.sends > 0) {
      this.logger.log(`purged recipient detail of ${result.sends} sends created before ${cutoff.toISOString()} (${result.recipients} recipients)`);
    }
    return result;
  }

  /** False when another run holds the send (it finishes it). */
  private async purgeSend(sendId: string, result: PurgeResult): Promise<boolean> {
    const frozen = await this.dataSource.transaction(async (tx) => {
      const [locked]: { id: string }[] = await tx.query(
        `SELECT id FROM sends WHERE id = $1 AND recipients_purged_at IS NULL FOR UPDATE SKIP LOCKED`,
        [sendId],
      );
      if (!locked) return false;
      // Kept at completion, or by an earlier, interrupted run: by now some rows may be gone and a recount would be short.
      await tx.query(
        `UPDATE sends SET recipient_summary = (
           SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
             FROM (SELECT status, count(*)::int AS n FROM recipients WHERE send_id = $1 GROUP BY status) counts)
          WHERE id = $1 AND recipient_summary IS NULL`,
        [sendId],
      );
      return true;
    });
    if (!frozen) return false;

    const limit = this.settings.chunkRows;
    result.recipients += await this.inChunks(
      `DELETE FROM recipients WHERE id IN (SELECT id FROM recipients WHERE send_id = $1 LIMIT $2)`,
      [sendId, limit],
    );
    result.batches += await this.inChunks(
      `UPDATE batches SET user_ids = '{}'
        WHERE id IN (SELECT id FROM batches WHERE send_id = $1 AND cardinality(user_ids) > 0 LIMIT $2)`,
      [sendId, limit],
    );
    result.sendEvents += await this.inChunks(
      `UPDATE send_events SET details = details - 'userId' - 'userIds'
        WHERE id IN (SELECT id FROM send_events WHERE send_id = $1 AND (details ? 'userId' OR details ? 'userIds') LIMIT $2)`,
      [sendId, limit],
    );
    await this.dataSource.query(`UPDATE sends SET recipients_purged_at = now() WHERE id = $1`, [sendId]);
    return true;
  }

  /** Runs a statement bounded by `LIMIT $2` until it touches nothing; each run commits on its own. */
  private async inChunks(sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected]: [unknown, number] = await this.dataSource.query(sql, params);
      total += affected;
      if (affected < (params[1] as number)) return total;
    }
  }
}
