/** Where one recipient of a send stands. Every status but `pending` is terminal. */
export const RecipientStatus = {
  Pending: 'pending',
  Delivered: 'delivered',
  Invalid: 'invalid',
  Failed: 'failed',
  Cancelled: 'cancelled',
  Unknown: 'unknown',
} as const;
export type RecipientStatus = (typeof RecipientStatus)[keyof typeof RecipientStatus];
export const RECIPIENT_STATUSES: readonly RecipientStatus[] = Object.values(RecipientStatus);
export const TERMINAL_RECIPIENT_STATUSES: readonly RecipientStatus[] = RECIPIENT_STATUSES.filter(
  (s) => s !== RecipientStatus.Pending,
);

/** A send's overall state, derived from its recipients and batches. */
export const SendStatus = {
  /** Recorded, no DingTalk call made yet. */
  Accepted: 'accepted',
  /** At least one batch attempted, some recipients still pending. */
  Delivering: 'delivering',
  /** Every recipient is in a terminal status. */
  Completed: 'completed',
  /** Cancelled on request; every recipient is terminal (those already in flight when it was cancelled may be delivered). */
  Cancelled: 'cancelled',
} as const;
export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];
export const SEND_STATUSES: readonly SendStatus[] = Object.values(SendStatus);

/**
 * What to do with a batch whose DingTalk call may or may not have happened (a crash or timeout mid-call):
 * batchSend has no idempotency key, so re-sending can deliver twice and not re-sending can deliver never.
 */
export const DeliveryPolicy = {
  AtLeastOnce: 'at-least-once',
  AtMostOnce: 'at-most-once',
} as const;
export type DeliveryPolicy = (typeof DeliveryPolicy)[keyof typeof DeliveryPolicy];
export const DELIVERY_POLICIES: readonly DeliveryPolicy[] = Object.values(DeliveryPolicy);
/** Applied by the server when a send names none: a duplicate message is judged less harmful than a lost one. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = DeliveryPolicy.AtLeastOnce;

/** Why a recipient ended in a non-delivered status (DingTalk's own error codes are recorded as they come). */
export const RecipientReason = {
  InvalidStaffId: 'dingrelay.invalidStaffId',
  Filtered: 'dingrelay.filteredStaffId',
  FlowControlExhausted: 'dingrelay.flowControlExhausted',
  AmbiguousNotResent: 'dingrelay.ambiguousNotResent',
  Cancelled: 'dingrelay.cancelled',
} as const;
export type RecipientReason = (typeof RecipientReason)[keyof typeof RecipientReason];
