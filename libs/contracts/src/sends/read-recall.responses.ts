import type { IsoDateTime, SendStatusResponse } from './send.responses.js';

/** A delivered recipient's read state, as DingTalk's readStatus last reported it (spec §4). */
export const RecipientReadStatus = { Unread: 'unread', Read: 'read' } as const;
export type RecipientReadStatus = (typeof RecipientReadStatus)[keyof typeof RecipientReadStatus];

/** How a recall of the send ended for a recipient's message (spec §5). */
export const RecipientRecallStatus = { Recalled: 'recalled', Failed: 'failed' } as const;
export type RecipientRecallStatus = (typeof RecipientRecallStatus)[keyof typeof RecipientRecallStatus];

/** Read counts of a send's delivered recipients. */
export interface ReadSummary {
  /** Delivered recipients DingTalk reported as read. */
  read: number;
  /** Delivered recipients DingTalk reported as unread at the last poll. */
  unread: number;
  /** Delivered recipients no poll has answered for yet. */
  notChecked: number;
  /** Batches with a readStatus poll still ahead (polling ends once all read, after 24 h, or on recall). */
  batchesPolling: number;
  /** Last readStatus answer for any batch of the send; null before the first. */
  lastCheckedAt: IsoDateTime | null;
}

/** Progress of a recall of the send; null on the send until one is requested. */
export interface RecallSummary {
  requestedAt: IsoDateTime;
  /** When every delivered batch had its outcome; null while batchRecall calls or in-flight batches remain. */
  completedAt: IsoDateTime | null;
  /** Recipients whose message DingTalk recalled. */
  recalled: number;
  /** Recipients whose message was not recalled, counted by reason (`expired`, or DingTalk's failedResult reason). */
  failed: number;
  failedByReason: Record<string, number>;
  /** Delivered recipients still waiting for their batch's recall. */
  pending: number;
}

/** Answer to `POST /v1/sends/:id/recall` (202): the recall runs in the worker; poll the send for `recall`. */
export interface RecallSendResponse {
  id: string;
  /** True when a recall had already been requested: nothing new was done, the first request's progress is shown. */
  replayed: boolean;
  /** Delivered batches inside DingTalk's 24 h window, recalled ≤ 20 processQueryKeys per DingTalk call. */
  batchesToRecall: number;
  /** Delivered batches past the window: their recipients end recall `failed` with reason `expired`. */
  batchesExpired: number;
  /** Batches in flight when the recall was asked: recalled once they settle. */
  batchesInFlight: number;
  /** Recipients of batches not yet sent, cancelled by this request. */
  recipientsCancelled: number;
  send: SendStatusResponse;
}

/** Answer to `POST /v1/sends/:id/read-status/refresh` (202): polls the worker runs now. */
export interface RefreshReadStatusResponse {
  id: string;
  /** Batches whose readStatus poll was made due now. */
  batches: number;
  /** Their delivered recipients not yet known to have read. */
  unreadRecipients: number;
}
