import { RecipientStatus } from '@dingrelay/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Stamps `completed_at` once no recipient of the send is pending. Call it inside a transaction that holds the send's
 * row lock, so that of two transactions settling a send's last recipients, the later one sees the earlier's commit.
 */
export async function completeSendIfSettled(tx: EntityManager, sendId: string): Promise<void> {
  await tx.query(
    `UPDATE sends SET completed_at = now()
      WHERE id = $1 AND completed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM recipients WHERE send_id = $1 AND status = $2)`,
    [sendId, RecipientStatus.Pending],
  );
}
