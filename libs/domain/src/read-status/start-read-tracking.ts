import type { EntityManager } from 'typeorm';
import type { ReadTrackingSettings } from './read-tracking.settings.js';

/**
 * Schedules a just-sent batch's first readStatus poll, in the transaction that records it as sent (after `sent_at`
 * is set). The worker's scanner takes it from there, so the schedule survives restarts and lost Redis state.
 */
export async function startReadTracking(tx: EntityManager, batchId: string, settings: ReadTrackingSettings): Promise<void> {
  const first = settings.pollScheduleMs[0];
  if (first === undefined) return;
  await tx.query(`UPDATE batches SET read_next_poll_at = sent_at + $2 * interval '1 millisecond' WHERE id = $1`, [batchId, first]);
}
