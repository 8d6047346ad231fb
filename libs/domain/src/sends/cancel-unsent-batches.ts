import { RecipientReason, RecipientStatus } from '@dingrelay/contracts';
import type { EntityManager } from 'typeorm';
import { BatchStatus } from '../persistence/entities/batch.entity.js';

/**
 * Stamps the send cancelled and cancels every batch no worker has claimed, with their pending recipients. Run it in a
 * transaction holding the send's row lock. A worker claims a batch under the batch's row lock and this cancels only
 * `pending` batches under the same lock, so each batch is either sent or cancelled, never both; batches created or
 * retried later see `cancelled_at` and cancel themselves.
 */
export async function cancelUnsentBatches(tx: EntityManager, sendId: string): Promise<{ batches: number; recipients: number }> {
  await tx.query(`UPDATE sends SET cancelled_at = COALESCE(cancelled_at, now()), updated_at = now() WHERE id = $1`, [sendId]);
  // A WITH … SELECT comes back as plain rows (only a top-level UPDATE comes back as [rows, count]).
  const [row]: { batches: number; recipients: number }[] = await tx.query(
    `WITH cancelled_batches AS (
       UPDATE batches SET status = $2, updated_at = now()
        WHERE send_id = $1 AND status = $3
       RETURNING id),
     cancelled_recipients AS (
       UPDATE recipients r
          SET status = $4, reason_code = $5, reason_message = 'Cancelled before its batch was sent', updated_at = now()
         FROM cancelled_batches c
        -- send_id lets the planner walk this send's pending recipients by index and hash-join the batches.
        WHERE r.send_id = $1 AND r.batch_id = c.id AND r.status = $6
       RETURNING 1)
     SELECT (SELECT count(*) FROM cancelled_batches)::int AS batches, (SELECT count(*) FROM cancelled_recipients)::int AS recipients`,
    [sendId, BatchStatus.Cancelled, BatchStatus.Pending, RecipientStatus.Cancelled, RecipientReason.Cancelled, RecipientStatus.Pending],
  );
  return row ?? { batches: 0, recipients: 0 };
}
