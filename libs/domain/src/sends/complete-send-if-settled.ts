import { RecipientStatus } from '@dingrelay/contracts';
import type { EntityManager } from 'typeorm';
import { SendEventType } from '../send-events/send-event-log.js';

/**
 * Stamps `completed_at` once no recipient of the send is pending, and puts `send.completed` with the final counts on
 * its timeline (same statement: the counting runs only for the one call that completes the send). Call it inside a
 * transaction that holds the send's row lock, so that of two transactions settling a send's last recipients, the
 * later one sees the earlier's commit.
 */
export async function completeSendIfSettled(tx: EntityManager, sendId: string): Promise<void> {
  await tx.query(
    `WITH completed AS (
       UPDATE sends SET completed_at = now()
        WHERE id = $1 AND completed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM recipients WHERE send_id = $1 AND status = $2)
       RETURNING id)
     INSERT INTO send_events (send_id, type, details)
     SELECT c.id, $3, jsonb_build_object('recipients', coalesce(counts.by_status, '{}'::jsonb))
       FROM completed c
       LEFT JOIN LATERAL (
         SELECT jsonb_object_agg(status, n) AS by_status
           FROM (SELECT status, count(*) AS n FROM recipients WHERE send_id = c.id GROUP BY status) s
       ) counts ON true`,
    [sendId, RecipientStatus.Pending, SendEventType.SendCompleted],
  );
}
