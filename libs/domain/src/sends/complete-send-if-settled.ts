import { RecipientStatus } from '@dingrelay/contracts';
import type { EntityManager } from 'typeorm';
import { SendEventType } from '../send-events/send-event-log.js';

/**
 * Stamps `completed_at` once no recipient of the send is pending, keeps the send's outcome on it — recipients per
 * status in `recipient_summary`, lost-answer calls in `ambiguous_calls`; neither changes after completion, and
 * statistics over many sends read them instead of every recipient — and puts `send.completed` with the final
 * counts on its timeline. One statement: the counting runs only for the one call that completes the send (a SET
 * expression is evaluated only for the row the WHERE keeps). Call it inside a transaction that holds the send's
 * row lock, so that of two transactions settling a send's last recipients, the later one sees the earlier's commit.
 */
export async function completeSendIfSettled(tx: EntityManager, sendId: string): Promise<void> {
  await tx.query(
    `WITH completed AS (
       UPDATE sends SET completed_at = now(),
              recipient_summary = (
                SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
                  FROM (SELECT status, count(*)::int AS n FROM recipients WHERE send_id = $1 GROUP BY status) per_status),
              ambiguous_calls = (SELECT coalesce(sum(ambiguous_attempts), 0)::int FROM batches WHERE send_id = $1)
        WHERE id = $1 AND completed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM recipients WHERE send_id = $1 AND status = $2)
       RETURNING id, recipient_summary)
     INSERT INTO send_events (send_id, type, details)
     SELECT c.id, $3, jsonb_build_object('recipients', c.recipient_summary) FROM completed c`,
    [sendId, RecipientStatus.Pending, SendEventType.SendCompleted],
  );
}
