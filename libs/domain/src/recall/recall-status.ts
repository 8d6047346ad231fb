/** Recipient and batch `recall_status` values. */
export const RecallOutcome = { Recalled: 'recalled', Failed: 'failed' } as const;
export type RecallOutcome = (typeof RecallOutcome)[keyof typeof RecallOutcome];

/** dingrelay's own recall reasons; DingTalk's `failedResult` reasons and error codes are recorded as they come. */
export const RecallReason = {
  /** Sent more than 24 h before the recall could be made: DingTalk no longer recalls it. */
  Expired: 'expired',
  /** DingTalk's answer named the key in neither successResult nor failedResult. */
  NoAnswer: 'dingrelay.recallNoAnswer',
  /** No configuration has the send's name: there is no app to recall with. */
  ConfigurationMissing: 'dingrelay.chatConfigurationMissing',
  /** The send's configuration was deleted (perhaps re-created under its name: another app, which must not recall it). */
  ConfigurationDeleted: 'dingrelay.chatConfigurationDeleted',
} as const;

export const RecallEventType = {
  Requested: 'recall.requested',
  Call: 'recall.call',
  CallFailed: 'recall.call-failed',
  Expired: 'recall.expired',
  Completed: 'recall.completed',
} as const;
