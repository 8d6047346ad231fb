import type { MsgKey } from '../messages/msg-key-catalog.js';
import type { IsoDateTime } from '../sends/send.responses.js';
import type { RecipientReadStatus, RecipientRecallStatus } from '../sends/read-recall.responses.js';
import type { RecipientStatus, SendStatus } from '../sends/send-status.js';

/** One send in the history (`GET /v1/sends`, and one line or row of its export). */
export interface SendHistoryItem {
  id: string;
  createdAt: IsoDateTime;
  chatConfiguration: string;
  robotCode: string;
  msgKey: MsgKey;
  status: SendStatus;
  recipientCount: number;
  batchCount: number;
  idempotencyKey: string | null;
  /** Name of the API key that requested it; null for sends from before keys were recorded. */
  requestedBy: string | null;
  completedAt: IsoDateTime | null;
  cancelledAt: IsoDateTime | null;
  /** As on `GET /v1/sends/:id`: the id of the configuration the send went through; null when none was recorded. */
  chatConfigurationId: string | null;
  /** As on `GET /v1/sends/:id`: that configuration has been deleted since (perhaps re-created under the name). */
  chatConfigurationDeleted: boolean;
}

/** One message to one user (`GET /v1/recipients`, and one line or row of its export). */
export interface RecipientHistoryItem {
  sendId: string;
  userId: string;
  createdAt: IsoDateTime;
  chatConfiguration: string;
  robotCode: string;
  msgKey: MsgKey;
  status: RecipientStatus;
  reasonCode: string | null;
  reasonMessage: string | null;
  deliveredAt: IsoDateTime | null;
  /** `unread` | `read` once polled; null before. */
  readStatus: RecipientReadStatus | null;
  readAt: IsoDateTime | null;
  /** `recalled` | `failed` once a recall was asked for; null if never. */
  recallStatus: RecipientRecallStatus | null;
  recallReason: string | null;
  recalledAt: IsoDateTime | null;
}

export interface HistoryPage<T> {
  items: T[];
  /** Pass back as `nextToken` for the next page; null on the last one. */
  nextToken: string | null;
}

/** Response of `POST /v1/exports/links` (201). */
export interface ExportLinkResponse {
  /**
   * Where the file downloads without an API key, once, until `expiresAt`: `/v1/exports/downloads/<token>` from the
   * API (a path on the API's origin); DingrelayClient resolves it against its `baseUrl`.
   */
  url: string;
  expiresAt: IsoDateTime;
}
