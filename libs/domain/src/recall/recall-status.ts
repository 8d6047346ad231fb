/** Recipient and batch `recall_status` values. */
export const RecallOutcome = { Recalled: 'recalled', Failed: 'failed' } as const;
export type RecallOutcome = (typeof RecallOutcome)[keyof typeof RecallOutcome];

/** dingrelay's own recall reasons; DingTalk's `failedResult` reasons and error codes are recorded as they come. */
export const RecallReason = {
  /** Sent more than 24 h before the recall could be made: DingTalk no longer recalls it. */
  Expired: 'expired',
  /** DingTalk's answer named the key in neither successResult nor failedResult. */
  NoAnswer: 'dingrelay.recallNoAnswer',
  ConfigurationMissing: 'dingrelay.chatConfigurationMissing',
} as const;

export const RecallEventType = {
  Requested: 'recall.requested',
  Call: 'recall.call',
  CallFailed: 'recall.call-failed',
  Expired: 'recall.expired',
  Completed: 'recall.completed',
} as const;
