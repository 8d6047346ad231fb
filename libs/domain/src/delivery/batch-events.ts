import type { RecipientStatus } from '@dingrelay/contracts';
import {
  type BatchSendOTOResult,
  DingTalkApiError,
  type DingTalkError,
  DingTalkTransportError,
} from '@dingrelay/dingtalk-client';
import { type SendEventInput, SendEventType } from '../send-events/send-event-log.js';

/**
 * The timeline entries a batch settlement writes, built here so the delivery use-case only says which ones. Counts,
 * codes and DingTalk request ids only: the users themselves are on the recipients (and retention purges them there).
 */
export interface BatchRef {
  sendId: string;
  batchId: string;
  /** Calls made for this batch so far, this one included. */
  attempt: number;
}

export interface AttemptCounts {
  delivered: number;
  invalid: number;
  filtered: number;
  flowControlled: number;
}

export function attemptSent(ref: BatchRef, result: BatchSendOTOResult, counts: AttemptCounts): SendEventInput {
  return event(ref, SendEventType.BatchAttempt, {
    attempt: ref.attempt,
    result: 'sent',
    dingtalkRequestId: result.requestId ?? null,
    ...counts,
  });
}

export function attemptFailed(ref: BatchRef, error: DingTalkError, code: string): SendEventInput {
  const requestId = error instanceof DingTalkApiError || error instanceof DingTalkTransportError ? error.requestId : undefined;
  return event(ref, SendEventType.BatchAttempt, {
    attempt: ref.attempt,
    result: 'failed',
    errorCode: code,
    retryClass: error.retryClass,
    ambiguous: error.ambiguous,
    dingtalkRequestId: requestId ?? null,
  });
}

export function retryScheduled(ref: BatchRef, reason: string, delayMs: number, extra: Record<string, unknown> = {}): SendEventInput {
  return event(ref, SendEventType.RetryScheduled, { reason, delayMs, ...extra });
}

export function ambiguousOutcome(ref: BatchRef, why: string): SendEventInput {
  return event(ref, SendEventType.AmbiguousOutcome, { attempt: ref.attempt, reason: why });
}

export function batchCancelled(ref: BatchRef, recipients: number, reason: string): SendEventInput {
  return event(ref, SendEventType.BatchCancelled, { recipients, reason });
}

export function batchFailed(
  ref: BatchRef,
  code: string,
  message: string,
  counts: Partial<Record<RecipientStatus, number>>,
): SendEventInput {
  return event(ref, SendEventType.BatchFailed, { errorCode: code, message: message.slice(0, 300), recipients: counts });
}

function event(ref: BatchRef, type: SendEventType, details: Record<string, unknown>): SendEventInput {
  return { sendId: ref.sendId, batchId: ref.batchId, type, details };
}

/**
 * One entry for the users a flow-controlled answer moved into re-send batches (none when there were none): how many,
 * into which batches (new or shared with other flow-controlled users of the send), and how soon.
 */
export function flowControlRetries(
  ref: BatchRef,
  placements: readonly { batchId: string; userIds: readonly string[]; delayMs: number }[],
): SendEventInput[] {
  if (placements.length === 0) return [];
  const delays = placements.map((p) => p.delayMs);
  return [
    retryScheduled(ref, 'flowControlled', Math.min(...delays), {
      users: placements.reduce((n, p) => n + p.userIds.length, 0),
      maxDelayMs: Math.max(...delays),
      batches: placements.map((p) => p.batchId),
    }),
  ];
}
