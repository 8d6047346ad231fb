import type { ApiErrorDetail } from '../errors/api-error.js';
import type { SendStatusResponse } from '../sends/send.responses.js';

/** Every error the client throws: `catch (e) { if (e instanceof DingrelayError) … }` catches them all. */
export class DingrelayError extends Error {
  override readonly name: string = 'DingrelayError';
}

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | null;
  details?: ApiErrorDetail[];
  /** From a `Retry-After` header (429, 503); null when absent. */
  retryAfterMs?: number | null;
  /** The older, whole-second form; used when `retryAfterMs` is not given. */
  retryAfterSeconds?: number | null;
  method: string;
  path: string;
}

/**
 * dingrelay answered with an error status. Carries the API's error body (`status`, `code`, `message`, `details` — the
 * fields at fault — and `requestId`) and the request it answered; never the API key or any other header. Thrown as
 * one of the subclasses below when the status has a category, so `instanceof DingrelayApiError` catches them all.
 */
export class DingrelayApiError extends DingrelayError {
  override readonly name: string = 'DingrelayApiError';
  readonly status: number;
  /** The API's error code (`VALIDATION_FAILED`, `NOT_FOUND`, …), or `HTTP_<status>` when the body was not dingrelay's. */
  readonly code: string;
  readonly requestId: string | null;
  /** One `{ field, message }` per input field at fault (a 400's); empty otherwise. */
  readonly details: ApiErrorDetail[];
  /** How long the API asked to wait (`Retry-After`, 429 and 503); null when it did not say. */
  readonly retryAfterMs: number | null;
  /** `retryAfterMs` in whole seconds, rounded up. */
  readonly retryAfterSeconds: number | null;
  readonly method: string;
  /** The request path without its query string (filters may name users). */
  readonly path: string;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? [];
    this.retryAfterMs = init.retryAfterMs ?? (init.retryAfterSeconds == null ? null : init.retryAfterSeconds * 1000);
    this.retryAfterSeconds = this.retryAfterMs === null ? null : Math.ceil(this.retryAfterMs / 1000);
    this.method = init.method;
    this.path = init.path;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      message: this.message,
      details: this.details,
      requestId: this.requestId,
      retryAfterSeconds: this.retryAfterSeconds,
      retryAfterMs: this.retryAfterMs,
      method: this.method,
      path: this.path,
    };
  }
}

/** 400 or 422: the request is invalid; `details` names each field at fault. Fix the request; repeating it fails again. */
export class DingrelayValidationError extends DingrelayApiError {
  override readonly name: string = 'DingrelayValidationError';
}

/** 401: no key, or a key that is unknown, revoked or expired. */
export class DingrelayAuthenticationError extends DingrelayApiError {
  override readonly name: string = 'DingrelayAuthenticationError';
}

/** 403: the key's role or chat-configuration scope does not allow the call. */
export class DingrelayPermissionError extends DingrelayApiError {
  override readonly name: string = 'DingrelayPermissionError';
}

/** 404: no such send, configuration, key, … (or not one this key may see). */
export class DingrelayNotFoundError extends DingrelayApiError {
  override readonly name: string = 'DingrelayNotFoundError';
}

/** 409: the resource's state forbids it (cancel a completed send), or an Idempotency-Key reused with another body. */
export class DingrelayConflictError extends DingrelayApiError {
  override readonly name: string = 'DingrelayConflictError';
}

/** 429: the key's rate limit; `retryAfterMs` says when to ask again. Nothing was done. */
export class DingrelayRateLimitError extends DingrelayApiError {
  override readonly name: string = 'DingrelayRateLimitError';
}

/**
 * 502, 503 or 504: dingrelay (or a proxy in front of it, or DingTalk behind a synchronous call) is down or
 * overloaded for now. When no answer came at all the client throws DingrelayConnectionError instead, which has no
 * status; `isRetryableError(error)` is true for both.
 */
export class DingrelayUnavailableError extends DingrelayApiError {
  override readonly name: string = 'DingrelayUnavailableError';
}

/** The error an answer with this status is thrown as. */
export function apiErrorFor(init: ApiErrorInit): DingrelayApiError {
  switch (init.status) {
    case 400:
    case 422:
      return new DingrelayValidationError(init);
    case 401:
      return new DingrelayAuthenticationError(init);
    case 403:
      return new DingrelayPermissionError(init);
    case 404:
      return new DingrelayNotFoundError(init);
    case 409:
      return new DingrelayConflictError(init);
    case 429:
      return new DingrelayRateLimitError(init);
    case 502:
    case 503:
    case 504:
      return new DingrelayUnavailableError(init);
    default:
      return new DingrelayApiError(init);
  }
}

/** dingrelay could not be reached, the connection broke before the whole answer arrived, or it did not answer in time. */
export class DingrelayConnectionError extends DingrelayError {
  override readonly name: string = 'DingrelayConnectionError';
  /** True when the client gave up waiting (`timeoutMs`): thrown as DingrelayTimeoutError. */
  readonly timedOut: boolean;
  /** The system error code when there is one (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, …). */
  readonly errorCode: string | null;
  readonly method: string;
  /** Scheme, host and path of the request: no query string, no credentials. */
  readonly url: string;

  constructor(init: { message: string; timedOut: boolean; errorCode?: string | null; method: string; url: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.timedOut = init.timedOut;
    this.errorCode = init.errorCode ?? null;
    this.method = init.method;
    this.url = init.url;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      timedOut: this.timedOut,
      errorCode: this.errorCode,
      method: this.method,
      url: this.url,
    };
  }
}

/** No answer within the request's `timeoutMs` (after any retries). A DingrelayConnectionError with `timedOut: true`. */
export class DingrelayTimeoutError extends DingrelayConnectionError {
  override readonly name: string = 'DingrelayTimeoutError';
  readonly timeoutMs: number;

  constructor(init: { message: string; timeoutMs: number; method: string; url: string; cause?: unknown }) {
    super({ ...init, timedOut: true });
    this.timeoutMs = init.timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/** The caller's AbortSignal fired: the request (or the wait between retries or polls) was abandoned. Never retried. */
export class DingrelayAbortError extends DingrelayError {
  override readonly name: string = 'DingrelayAbortError';
  /** The signal's `reason` (a DOMException `AbortError` when `abort()` was called without one). */
  readonly reason: unknown;

  constructor(message: string, reason: unknown) {
    super(message, { cause: reason });
    this.reason = reason;
  }

  toJSON(): Record<string, unknown> {
    const reason = this.reason instanceof Error ? this.reason.message : this.reason;
    return { name: this.name, message: this.message, reason: typeof reason === 'string' ? reason : String(reason) };
  }
}

/** `waitForSend` ran out of `timeoutMs` with the send still going; `send` is its status read at the deadline. */
export class DingrelayWaitTimeoutError extends DingrelayError {
  override readonly name: string = 'DingrelayWaitTimeoutError';
  readonly timeoutMs: number;
  readonly send: SendStatusResponse;

  constructor(send: SendStatusResponse, timeoutMs: number) {
    super(`send ${send.id} is still ${send.status} after ${timeoutMs} ms: ${send.recipients.total - send.recipients.pending} of ${send.recipients.total} recipients settled`);
    this.timeoutMs = timeoutMs;
    this.send = send;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, timeoutMs: this.timeoutMs, sendId: this.send.id, status: this.send.status };
  }
}
