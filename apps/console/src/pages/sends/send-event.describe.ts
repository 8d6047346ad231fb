import { RECIPIENT_STATUSES, type SendEventResponse } from '@dingrelay/contracts/client';
import type { TFunction } from 'i18next';

/** One timeline entry as a person reads it: a sentence, DingTalk's codes as they came, and a colour for its outcome. */
export interface DescribedSendEvent {
  title: string;
  /** DingTalk's or dingrelay's code, shown verbatim (searchable in DingTalk's documentation and the logs). */
  code: string | null;
  /** DingTalk's request id for the call, to quote to DingTalk's support. */
  dingtalkRequestId: string | null;
  color: 'blue' | 'green' | 'red' | 'gray' | 'orange' | 'purple';
}

type Details = Record<string, unknown>;

/** DingTalk failure classes the delivery writes on failed attempts (dingtalk-client's RetryClass). */
const RETRY_CLASSES = ['qps-throttle', 'rate-limited', 'auth', 'transient', 'ambiguous', 'quota-exhausted', 'ip-blocked', 'permanent'];

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const optionalText = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** `{ delivered: 43, invalid: 2 }` as "已送达 43，无效 2" / "43 delivered, 2 invalid", zero counts left out. */
function countsText(t: TFunction, counts: unknown): string {
  if (counts === null || typeof counts !== 'object') return t('sends:events.noCounts');
  const known = RECIPIENT_STATUSES as readonly string[];
  const order = (status: string) => (known.includes(status) ? known.indexOf(status) : known.length);
  const parts = Object.entries(counts as Record<string, unknown>)
    .filter(([, n]) => num(n) > 0)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([status, n]) => t('sends:events.count', { n: num(n), status: known.includes(status) ? t(`common:recipientStatus.${status}`) : status }));
  return parts.length > 0 ? parts.join(t('sends:events.separator')) : t('sends:events.noCounts');
}

function duration(t: TFunction, ms: number): string {
  if (ms < 1000) return t('sends:events.ms', { n: ms });
  if (ms < 120_000) return t('sends:events.seconds', { n: Math.round(ms / 1000) });
  return t('sends:events.minutes', { n: Math.round(ms / 60_000) });
}

/**
 * Each event type the API writes (README "Requester and timeline", read and recall events), in the user's language.
 * A type the console does not know yet still shows, by its name.
 */
export function describeSendEvent(t: TFunction, event: Pick<SendEventResponse, 'type' | 'details'>): DescribedSendEvent {
  const d: Details = event.details ?? {};
  const base = { code: null, dingtalkRequestId: optionalText(d['dingtalkRequestId'] ?? d['requestId']) };
  switch (event.type) {
    case 'accepted':
      return {
        ...base,
        color: 'blue',
        title: t('sends:events.accepted', {
          recipients: num(d['recipients']),
          batches: num(d['batches']),
          duplicates: num(d['duplicatesRemoved']),
          by: text(d['requestedBy']) || t('common:none'),
          chatConfiguration: text(d['chatConfiguration']),
        }),
      };
    case 'batch.attempt':
      if (d['result'] === 'sent') {
        return {
          ...base,
          color: 'green',
          title: t('sends:events.attemptSent', {
            attempt: num(d['attempt']),
            delivered: num(d['delivered']),
            invalid: num(d['invalid']),
            filtered: num(d['filtered']),
            flowControlled: num(d['flowControlled']),
          }),
        };
      }
      return {
        ...base,
        code: optionalText(d['errorCode']),
        color: 'red',
        title: t(d['ambiguous'] === true ? 'sends:events.attemptFailedAmbiguous' : 'sends:events.attemptFailed', {
          attempt: num(d['attempt']),
          retryClass: RETRY_CLASSES.includes(text(d['retryClass'])) ? t(`sends:events.retryClass.${text(d['retryClass'])}`) : text(d['retryClass']),
        }),
      };
    case 'batch.retry-scheduled':
      return {
        ...base,
        color: 'orange',
        title:
          d['reason'] === 'flowControlled'
            ? t('sends:events.retryFlowControlled', { users: num(d['users']), delay: duration(t, num(d['delayMs'])) })
            : t('sends:events.retryScheduled', { delay: duration(t, num(d['delayMs'])), reason: text(d['reason']) }),
      };
    case 'batch.ambiguous':
      return { ...base, color: 'orange', title: t('sends:events.ambiguous', { attempt: num(d['attempt']), reason: text(d['reason']) }) };
    case 'batch.cancelled':
      return { ...base, color: 'gray', title: t('sends:events.batchCancelled', { recipients: num(d['recipients']), reason: text(d['reason']) }) };
    case 'batch.failed':
      return {
        ...base,
        code: optionalText(d['errorCode']),
        color: 'red',
        title: t('sends:events.batchFailed', { message: text(d['message']), counts: countsText(t, d['recipients']) }),
      };
    case 'send.cancelled':
      return {
        ...base,
        color: 'gray',
        title: t('sends:events.sendCancelled', {
          by: text(d['by']) || t('common:none'),
          cancelled: num(d['cancelledRecipients']),
          batches: num(d['cancelledBatches']),
          inFlight: num(d['inFlightRecipients']),
        }),
      };
    case 'send.completed':
      return { ...base, color: 'green', title: t('sends:events.sendCompleted', { counts: countsText(t, d['recipients']) }) };
    case 'read-status.polled':
      return {
        ...base,
        color: 'blue',
        title: t(d['done'] === true ? 'sends:events.readPolledDone' : 'sends:events.readPolled', { newlyRead: num(d['newlyRead']), unread: num(d['unread']) }),
      };
    case 'read-status.poll-failed':
      return {
        ...base,
        code: optionalText(d['code']),
        color: 'red',
        title: t(d['retryable'] === true ? 'sends:events.readPollFailedRetry' : 'sends:events.readPollFailed'),
      };
    case 'recall.requested':
      return {
        ...base,
        color: 'purple',
        title: t('sends:events.recallRequested', {
          by: text(d['by']) || t('common:none'),
          toRecall: num(d['batchesToRecall']),
          expired: num(d['batchesExpired']),
          inFlight: num(d['batchesInFlight']),
          cancelled: num(d['recipientsCancelled']),
        }),
      };
    case 'recall.call':
      return {
        ...base,
        color: 'purple',
        title: t('sends:events.recallCall', { keys: num(d['keys']), recalled: num(d['recalled']), failed: num(d['failed']) }),
      };
    case 'recall.call-failed':
      return {
        ...base,
        code: optionalText(d['code']),
        color: 'red',
        title: t(d['retryable'] === true ? 'sends:events.recallCallFailedRetry' : 'sends:events.recallCallFailed', { keys: num(d['keys']) }),
      };
    case 'recall.expired':
      return { ...base, color: 'gray', title: t('sends:events.recallExpired', { batches: num(d['batches']), recipients: num(d['recipients']) }) };
    case 'recall.completed':
      return { ...base, color: 'green', title: t('sends:events.recallCompleted', { recalled: num(d['recalled']), failed: num(d['failed']) }) };
    default:
      return { ...base, color: 'gray', title: t('sends:events.other', { type: event.type }) };
  }
}
