import type { EntityManager } from 'typeorm';
import { truncate } from './batch-rows.js';

/**
 * Holds every delivery through a configuration until `pausedUntil` (a spent monthly quota): recipients stay pending,
 * and the API shows why and until when. A pause already running keeps its start and is only ever extended.
 */
export async function pauseDeliveries(
  db: EntityManager,
  pause: { chatConfiguration: string; reason: string; code: string; message: string; forMs: number },
): Promise<void> {
  await db.query(
    `INSERT INTO delivery_pauses (chat_configuration, reason, code, message, paused_until)
     VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
     ON CONFLICT (chat_configuration) DO UPDATE
        SET reason = EXCLUDED.reason, code = EXCLUDED.code, message = EXCLUDED.message,
            paused_since = CASE WHEN delivery_pauses.paused_until > now() THEN delivery_pauses.paused_since ELSE now() END,
            paused_until = GREATEST(delivery_pauses.paused_until, EXCLUDED.paused_until)`,
    [pause.chatConfiguration, pause.reason, pause.code, truncate(pause.message), pause.forMs],
  );
}
