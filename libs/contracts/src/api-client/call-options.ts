import type { RetryOptions } from './retry-policy.js';

/** What every client method takes as its last argument. */
export interface CallOptions {
  /**
   * Abandons the call: the request in flight, any wait before a retry, and for a listing every page still to come.
   * The call then rejects with DingrelayAbortError.
   */
  signal?: AbortSignal;
  /** This call's per-request timeout, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * Whether a failure for a passing reason (no answer, 429, 502/503/504) is repeated. By default reads and `createSend`
   * are (with the client's `retry` options) and other writes are not; `true` opts a write in (only when repeating it
   * cannot do it twice, or you accept that), `false` opts a call out, an object also changes the options.
   */
  retry?: boolean | RetryOptions;
}
