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
    await manager.query(insertEvents(1), eventParams(events));
  }

  /**
   * Appends `events` in the same statement as `statement` (`WITH … INSERT … <statement>`), for hot paths where a
   * round trip per settlement counts. `statement` uses `$1`…`$n` for `params`; nothing is inserted for no events.
   */
  async appendWith(manager: EntityManager, events: readonly SendEventInput[], statement: string, params: readonly unknown[]): Promise<unknown> {
    return manager.query(`WITH appended_events AS (${insertEvents(params.length + 1)}) ${statement}`, [...params, ...eventParams(events)]);
  }
}

/** The INSERT of one batch of events whose four arrays are parameters `$first`…`$first+3`, kept in the given order. */
function insertEvents(first: number): string {
  const [ids, batches, types, details] = [first, first + 1, first + 2, first + 3];
  return `INSERT INTO send_events (send_id, batch_id, type, details)
          SELECT e.send_id, e.batch_id, e.type, e.details
            FROM unnest($${ids}::uuid[], $${batches}::uuid[], $${types}::text[], $${details}::jsonb[])
                 WITH ORDINALITY AS e(send_id, batch_id, type, details, ord)
           ORDER BY e.ord`;
}

function eventParams(events: readonly SendEventInput[]): unknown[] {
  return [
    events.map((e) => e.sendId),
    events.map((e) => e.batchId ?? null),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.details ?? {})),
  ];
}
