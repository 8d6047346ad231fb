export { DingrelayApiError, DingrelayConnectionError } from './api-client.errors.js';
export { type CreatedSend, type CreateSendOptions, DEFAULT_CLIENT_TIMEOUT_MS, DingrelayClient, type DingrelayClientOptions } from './dingrelay-client.js';
export type * from './api-client.params.js';
export type { ExportDownload } from './export-download.js';
export { type Page, pageItems, pages } from './pages.js';
export { parseRetryAfter, RETRYABLE_STATUSES, type RetryOptions } from './retry-policy.js';
