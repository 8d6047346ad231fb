import { type DingTalkApi, DingTalkApiError, DingTalkRequestError, DingTalkTransportError } from './dingtalk-api.error.js';
import type { RetryClass } from './retry-class.js';

/** How one DingTalk call ended, as far as an observer (metrics, logs) needs to know. */
export type DingTalkCallOutcome = 'ok' | 'api-error' | 'transport-error' | 'request-error';

/**
 * One HTTP attempt: a call retried with a fresh token after DingTalk rejected the old one is two events, and a
 * token fetch is an event too (api `oauth2.accessToken`). A call refused locally (`request-error`) is one event
 * although nothing was sent, so that refusals are as visible as DingTalk's own errors.
 */
export interface DingTalkCallEvent {
  api: DingTalkApi;
  appKey: string;
  outcome: DingTalkCallOutcome;
  /** The answer's HTTP status, when one arrived. */
  httpStatus?: number;
  /** DingTalk's code (or the client's local refusal code), or the transport failure; absent when ok. */
  code?: string;
  retryClass?: RetryClass;
  /** Time from sending to the answer; a wait for the pacer is not included. */
  durationMs: number;
}

/** One access-token fetch this process made (a token found in the cache is no fetch). */
export interface DingTalkTokenFetchEvent {
  appKey: string;
  outcome: 'ok' | 'error';
  durationMs: number;
  /** As in DingTalkCallEvent: DingTalk's code or the transport failure; absent when ok. */
  code?: string;
}

/**
 * Hooks for metrics and logging. They run synchronously on the call's path, so keep them cheap; whatever they throw
 * (or a promise they return rejects with) is swallowed: observing must never fail a call.
 */
export interface DingTalkClientObserver {
  onCall?(event: DingTalkCallEvent): void;
  onTokenFetch?(event: DingTalkTokenFetchEvent): void;
}

/** The event fields that describe how a call failed. */
export function describeCallFailure(e: unknown): Pick<DingTalkCallEvent, 'outcome' | 'httpStatus' | 'code' | 'retryClass'> {
  if (e instanceof DingTalkApiError) {
    return withoutUndefined({ outcome: 'api-error', httpStatus: e.httpStatus, code: e.code, retryClass: e.retryClass });
  }
  if (e instanceof DingTalkTransportError) {
    return withoutUndefined({ outcome: 'transport-error', httpStatus: e.httpStatus, code: e.failure, retryClass: e.retryClass });
  }
  if (e instanceof DingTalkRequestError) return { outcome: 'request-error', code: e.code, retryClass: e.retryClass };
  // Not ours (a closed client, a bug): still a failed attempt.
  return { outcome: 'transport-error', code: e instanceof Error ? e.name : 'unknown' };
}

/** Calls one observer hook, never letting it throw into the call it observes. */
export function notify<E>(hook: ((event: E) => void) | undefined, observer: DingTalkClientObserver | undefined, event: E): void {
  if (!hook) return;
  try {
    const result: unknown = hook.call(observer, event);
    // An async hook's rejection would otherwise surface as an unhandled rejection and may end the process.
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // Observing must never fail the call.
  }
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
