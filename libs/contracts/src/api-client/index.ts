export {
  DingrelayAbortError,
  DingrelayApiError,
  DingrelayAuthenticationError,
  DingrelayConflictError,
  DingrelayConnectionError,
  DingrelayError,
  DingrelayNotFoundError,
  DingrelayPermissionError,
  DingrelayRateLimitError,
  DingrelayTimeoutError,
  DingrelayUnavailableError,
  DingrelayValidationError,
  DingrelayWaitTimeoutError,
} from './api-client.errors.js';
export type { CallOptions } from './call-options.js';
export { type CreatedSend, type CreateSendOptions, DEFAULT_CLIENT_TIMEOUT_MS, DingrelayClient, type DingrelayClientOptions } from './dingrelay-client.js';
export type * from './api-client.params.js';
export type { ExportDownload } from './export-download.js';
export { type Page, Paged } from './paged.js';
export {
  backoffDelayMs,
  DEFAULT_RETRY,
  isRetryableError,
  parseRetryAfter,
  parseRetryAfterMs,
  RETRYABLE_STATUSES,
  type RetryInfo,
  type RetryOptions,
} from './retry-policy.js';
export { DEFAULT_POLL_INTERVAL_MS, isSendFinished, type WaitForSendOptions } from './wait-for-send.js';
