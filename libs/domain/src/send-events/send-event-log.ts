import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What happened to a send, in the order it happened. Other features add their own types (reads, recalls). */
export const SendEventType = {
  Accepted: 'accepted',
  BatchAttempt: 'batch.attempt',
  RetryScheduled: 'batch.retry-scheduled',
  AmbiguousOutcome: 'batch.ambiguous',
  BatchCancelled: 'batch.cancelled',
  /** Retries ran out or DingTalk refused the batch for good. */
  BatchFailed: 'batch.failed',
  SendCancelled: 'send.cancelled',
  SendCompleted: 'send.completed',
} as const;
export type SendEventType = (typeof SendEventType)[keyof typeof SendEventType];

export interface SendEventInput {
  sendId: string;
  batchId?: string | null;
  type: SendEventType | (string & {});
  /**
   * Counts, codes and DingTalk request ids. Recipient-level detail (user ids) goes only under `userId` / `userIds`:
   * retention strips exactly those keys from old sends' events.
   */
  details?: Record<string, unknown>;
}

/** Appends to a send's timeline inside the transaction of the state change it describes: one INSERT per call. */
@Injectable()
export class SendEventLog {
  async append(manager: EntityManager, events: readonly SendEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO send_events (send_id, batch_id, type, details)
       SELECT e.send_id, e.batch_id, e.type, e.details
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS e(send_id, batch_id, type, details, ord)
        ORDER BY e.ord`,
      [
        events.map((e) => e.sendId),
        events.map((e) => e.batchId ?? null),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.details ?? {})),
      ],
    );
  }
}
