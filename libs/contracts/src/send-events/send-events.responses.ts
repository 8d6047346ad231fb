import type { IsoDateTime } from '../sends/send.responses.js';

/**
 * One step of a send's timeline. Types include `accepted`, `batch.attempt` (with DingTalk's result: counts, error
 * code, DingTalk request id), `batch.retry-scheduled`, `batch.ambiguous`, `batch.cancelled`, `batch.failed`,
 * `send.cancelled` and `send.completed`; later features add their own.
 */
export interface SendEventResponse {
  id: string;
  type: string;
  /** The batch the event is about; null for the send as a whole. */
  batchId: string | null;
  occurredAt: IsoDateTime;
  details: Record<string, unknown>;
}

export interface SendEventPage {
  items: SendEventResponse[];
  /** Pass as `nextToken` for the following page; null on the last page. */
  nextToken: string | null;
}
