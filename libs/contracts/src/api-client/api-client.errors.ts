import type { ApiErrorDetail } from '../errors/api-error.js';

/**
 * dingrelay answered with an error status. Carries the API's error body (`status`, `code`, `message`, `details`,
 * `requestId`) and the request it answered; never the API key or any other header.
 */
export class DingrelayApiError extends Error {
  override readonly name = 'DingrelayApiError';
  readonly status: number;
  /** The API's error code (`VALIDATION_FAILED`, `NOT_FOUND`, …), or `HTTP_<status>` when the body was not dingrelay's. */
  readonly code: string;
  readonly requestId: string | null;
  readonly details: ApiErrorDetail[];
  /** Seconds from a `Retry-After` header (429, 503); null when absent. */
  readonly retryAfterSeconds: number | null;
  readonly method: string;
  /** The request path without its query string (filters may name users). */
  readonly path: string;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | null;
    details?: ApiErrorDetail[];
    retryAfterSeconds?: number | null;
    method: string;
    path: string;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
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
      method: this.method,
      path: this.path,
    };
  }
}

/** dingrelay could not be reached, the connection broke, or it did not answer within `timeoutMs`. */
export class DingrelayConnectionError extends Error {
  override readonly name = 'DingrelayConnectionError';
  /** True when the client gave up waiting (`timeoutMs`). */
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
