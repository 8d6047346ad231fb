import type { MsgKey, MsgParam } from '../messages/msg-key-catalog.js';
import type { DeliveryPolicy, RecipientStatus, SendStatus } from './send-status.js';
import type { ReadSummary, RecallSummary, RecipientReadStatus, RecipientRecallStatus } from './read-recall.responses.js';

/** An ISO-8601 UTC timestamp, e.g. `2026-11-21T13:38:18.000Z`. */
export type IsoDateTime = string;

/** Response of `POST /v1/sends` (202): the send is recorded, delivery happens in the background. */
export interface CreateSendResponse {
  id: string;
  status: SendStatus;
  recipients: {
    /** Distinct userIds recorded as recipients. */
    accepted: number;
    /** Entries of `userIds` dropped because they repeated an earlier entry. */
    duplicatesRemoved: number;
  };
  /** Number of DingTalk batchSend calls the recipients were split into. */
  batches: number;
  /** The policy in force, the default filled in when the request named none. */
  deliveryPolicy: DeliveryPolicy;
  /** Where to poll for progress (`GET /v1/sends/:id`). */
  statusUrl: string;
}

/** Recipient counts by status; keyed by RecipientStatus so a new status cannot be left out. */
export type RecipientCounts = { total: number } & { [S in RecipientStatus]: number };

/** Response of `GET /v1/sends/:id`. */
export interface SendStatusResponse {
  id: string;
  status: SendStatus;
  /** The name of the chat configuration the send went through (a sender's scope is checked against it). */
  chatConfiguration: string;
  /**
   * The id of that configuration. Null when no configuration row had the name (one pinned in the process), or for a
   * send made before ids were recorded through a configuration deleted before then.
   */
  chatConfigurationId: string | null;
  /**
   * True when the configuration the send went through has been deleted since: none has its id now, or (for a send
   * without one) another configuration has its name. A configuration re-created under the name is another one: its
   * senders do not see this send, and recalling it is refused.
   */
  chatConfigurationDeleted: boolean;
  /** The DingTalk robot that sent it, as the configuration named it when the send was accepted. */
  robotCode: string;
  msgKey: MsgKey;
  /** The message as the sender posted it (the template's fields); never anything of the configuration's. */
  msgParam: MsgParam;
  /** The `Idempotency-Key` the send was created with; null without one. */
  idempotencyKey: string | null;
  deliveryPolicy: DeliveryPolicy;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  /** When the last recipient reached a terminal status; null until then. */
  completedAt: IsoDateTime | null;
  /** When cancellation was requested; null if never. */
  cancelledAt: IsoDateTime | null;
  /** The API key that requested the send (its id and name then); null for sends made before keys existed. */
  requestedBy: { apiKeyId: string | null; name: string } | null;
  /**
   * When retention purged the per-recipient detail (recipients endpoint then answers 410); `recipients` still gives
   * the counts. Null while the detail is kept.
   */
  recipientsPurgedAt: IsoDateTime | null;
  recipients: RecipientCounts;
  batches: {
    total: number;
    /** Batches not yet finished (queued, in flight or waiting to retry). */
    remaining: number;
  };
  progress: SendProgress;
  /** Who has read the message, from DingTalk's readStatus polls. */
  read: ReadSummary;
  /** The recall's progress; null unless a recall was requested. */
  recall: RecallSummary | null;
}

/** How far a send is from done, as far as DingTalk's pace for its app lets dingrelay tell. */
export interface SendProgress {
  /** Open batches of the same chat configuration up to and including this send's: what the app's pace gets through first. */
  batchesAhead: number;
  /** Estimated from the app's calls per second (and any pause); null once nothing is pending. */
  estimatedCompletionAt: IsoDateTime | null;
  /** Calls whose answer was lost; under at-least-once their users may have received the message twice. */
  ambiguousCalls: number;
  /** Deliveries through the send's configuration are held (DingTalk's monthly quota is spent); null when not. */
  paused: { reason: string; code: string; until: IsoDateTime } | null;
}

/** Where one recipient of a send stands. */
export interface RecipientOutcome {
  userId: string;
  status: RecipientStatus;
  /** A RecipientReason, or DingTalk's own error code as received; null while pending or once delivered. */
  reasonCode: string | null;
  reasonMessage: string | null;
  /** DingTalk's id of the batchSend call that delivered to this recipient; null until one succeeded. */
  processQueryKey: string | null;
  /** DingTalk calls made that included this recipient. */
  attempts: number;
  updatedAt: IsoDateTime;
  deliveredAt: IsoDateTime | null;
  /** Null until a readStatus poll answered for this (delivered) recipient. */
  readStatus: RecipientReadStatus | null;
  /** DingTalk's readTimestamp; when DingTalk sends none (usual: "not supported yet"), the poll that first saw the read. */
  readAt: IsoDateTime | null;
  /** Null unless a recall of the send handled this recipient's message. */
  recallStatus: RecipientRecallStatus | null;
  /** Why a recall failed: `expired` (past DingTalk's 24 h), or DingTalk's failedResult reason / error code. */
  recallReason: string | null;
  recalledAt: IsoDateTime | null;
}

/** Response of `GET /v1/sends/:id/recipients`. */
export interface ListRecipientsResponse {
  items: RecipientOutcome[];
  /** Pass as `nextToken` to get the next page; null on the last page. */
  nextToken: string | null;
}

/** Answer to `POST /v1/sends/:id/cancel`. */
export interface CancelSendResponse {
  id: string;
  /** Recipients cancelled by this request (their batches had not been sent). */
  cancelled: number;
  /** Recipients whose batch was already in flight: they finish as DingTalk answers, and may be delivered. */
  inFlight: number;
  send: SendStatusResponse;
}
