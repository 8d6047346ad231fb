import { classifyDingTalkError, RetryClass } from './retry-class.js';

/** Names of the DingTalk operations this client performs; carried by every error so logs say which call failed. */
export const DingTalkApi = {
  AccessToken: 'oauth2.accessToken',
  BatchSendOTO: 'robot.batchSendOTO',
  ReadStatus: 'robot.readStatus',
  BatchRecall: 'robot.batchRecall',
  SetPlugins: 'robot.plugins.set',
  QueryPlugins: 'robot.plugins.query',
  ClearPlugins: 'robot.plugins.clear',
} as const;
export type DingTalkApi = (typeof DingTalkApi)[keyof typeof DingTalkApi];

/**
 * Root of every error this client throws. Fields are plain data so errors survive structured logging and
 * serialization into job records; none of them ever holds an app secret or an access token.
 */
export abstract class DingTalkError extends Error {
  abstract readonly retryClass: RetryClass;
  /**
   * True when DingTalk may have acted on the request although the answer does not say so. Only matters for batchSend,
   * whose retry class then is Ambiguous; for idempotent calls the class stays Transient.
   */
  abstract readonly ambiguous: boolean;

  protected constructor(
    message: string,
    readonly api: DingTalkApi,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) out[k] = v;
    return out;
  }
}

export interface DingTalkApiErrorInit {
  api: DingTalkApi;
  httpStatus: number;
  /** DingTalk's `code`, or the synthetic IP_BLOCKED_CODE; undefined when the body carried none. */
  code?: string;
  /** DingTalk's `message` (free text, often Chinese); undefined when absent. */
  dingTalkMessage?: string;
  requestId?: string;
  /** Whether replaying the call is harmless (default true; false for batchSend). */
  idempotent?: boolean;
}

/** DingTalk answered, and the answer is an error. */
export class DingTalkApiError extends DingTalkError {
  readonly httpStatus: number;
  readonly code: string | undefined;
  readonly dingTalkMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly retryClass: RetryClass;
  /**
   * A 4xx means DingTalk refused the call and did not act on it. A server failure (5xx, or `system.error` whatever
   * its status) can come after DingTalk already acted, and a 502/504 from a gateway may hide a forwarded call. For a
   * non-idempotent call (batchSend) that makes the retry class Ambiguous instead of Transient.
   */
  readonly ambiguous: boolean;

  constructor(init: DingTalkApiErrorInit) {
    const what = init.code ?? 'no code';
    const detail = init.dingTalkMessage ? `: ${init.dingTalkMessage}` : '';
    const rid = init.requestId ? ` (requestid ${init.requestId})` : '';
    super(`DingTalk ${init.api} failed with HTTP ${init.httpStatus} ${what}${detail}${rid}`, init.api);
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.dingTalkMessage = init.dingTalkMessage;
    this.requestId = init.requestId;
    const serverFailure = init.httpStatus >= 500 || init.code === 'system.error';
    this.ambiguous = serverFailure;
    this.retryClass =
      serverFailure && init.idempotent === false ? RetryClass.Ambiguous : classifyDingTalkError(init.httpStatus, init.code);
  }
}

/** What went wrong below HTTP. */
export const TransportFailure = {
  /** No connection was established (refused, DNS, unreachable, connect timeout): nothing was sent. */
  Connect: 'connect',
  /** The per-call deadline passed. */
  Timeout: 'timeout',
  /** The connection broke (reset, hang-up) before a complete answer arrived. */
  ConnectionLost: 'connection-lost',
  /** The caller's AbortSignal fired. */
  Aborted: 'aborted',
  /** An answer arrived but is not what DingTalk sends (non-JSON 2xx, oversized, missing fields). */
  InvalidResponse: 'invalid-response',
} as const;
export type TransportFailure = (typeof TransportFailure)[keyof typeof TransportFailure];

export interface DingTalkTransportErrorInit {
  api: DingTalkApi;
  failure: TransportFailure;
  /** Whether the full request had been handed to the network when the call failed. */
  requestSent: boolean;
  /** Whether the operation may be replayed without side effects (everything but batchSend). */
  idempotent: boolean;
  detail: string;
  httpStatus?: number;
  requestId?: string;
  cause?: unknown;
}

/**
 * No usable DingTalk answer. `ambiguous` is the important bit: batchSend has no idempotency key, so once the request
 * was sent a lost answer means the messages may or may not have been delivered.
 */
export class DingTalkTransportError extends DingTalkError {
  readonly failure: TransportFailure;
  readonly requestSent: boolean;
  readonly ambiguous: boolean;
  readonly retryClass: RetryClass;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;

  constructor(init: DingTalkTransportErrorInit) {
    super(`DingTalk ${init.api} ${init.failure}: ${init.detail}`, init.api, { cause: init.cause });
    this.failure = init.failure;
    this.requestSent = init.requestSent;
    this.ambiguous = init.requestSent;
    this.retryClass = init.requestSent && !init.idempotent ? RetryClass.Ambiguous : RetryClass.Transient;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
  }
}

/**
 * Refused locally before any HTTP call: the request breaks a limit DingTalk would reject anyway. `code` is the code
 * DingTalk would have answered where one exists, so callers handle both the same way.
 */
export class DingTalkRequestError extends DingTalkError {
  readonly retryClass = RetryClass.Permanent;
  readonly ambiguous = false;
  readonly code: string;
  readonly field: string;

  constructor(api: DingTalkApi, field: string, code: string, problem: string) {
    super(`DingTalk ${api} request refused locally: ${field} ${problem} (${code})`, api);
    this.code = code;
    this.field = field;
  }
}

export function isDingTalkError(e: unknown): e is DingTalkError {
  return e instanceof DingTalkError;
}
