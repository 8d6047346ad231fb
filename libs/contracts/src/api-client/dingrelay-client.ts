import type { CreateApiKeyRequest } from '../api-keys/api-key.requests.js';
import type { ApiKeyListResponse, ApiKeyResponse, CreatedApiKeyResponse } from '../api-keys/api-key.responses.js';
import type { AuditChainVerification } from '../audit/audit-chain.responses.js';
import type { AuditEventPage } from '../audit/audit-events.responses.js';
import type { CreateChatConfigurationRequest, UpdateChatConfigurationRequest } from '../chat-configurations/chat-configuration.requests.js';
import type {
  ChatConfigurationResponse,
  DeleteChatConfigurationResponse,
  ListChatConfigurationsResponse,
} from '../chat-configurations/chat-configuration.responses.js';
import type { ExportFormat } from '../history/export-formats.js';
import type { ExportLinkResponse, HistoryPage, RecipientHistoryItem, SendHistoryItem } from '../history/history.responses.js';
import type { InboundMessagePage } from '../inbound/inbound-message.responses.js';
import type { MsgKey } from '../messages/msg-key-catalog.js';
import type { PluginsChangeResponse, PluginsResponse } from '../plugins/plugins.responses.js';
import type { SetPluginsRequest } from '../plugins/set-plugins.request.js';
import type { SendEventPage } from '../send-events/send-events.responses.js';
import type { CreateSendRequest } from '../sends/create-send.request.js';
import type { RecallSendResponse, RefreshReadStatusResponse } from '../sends/read-recall.responses.js';
import type { CancelSendResponse, CreateSendResponse, ListRecipientsResponse, SendStatusResponse } from '../sends/send.responses.js';
import type { SendStatsResponse } from '../stats/send-stats.responses.js';
import type { UsageResponse } from '../usage/usage.responses.js';
import { abortError } from './abortable-sleep.js';
import { DingrelayConnectionError } from './api-client.errors.js';
import type {
  CreateExportLinkParams,
  ExportOptions,
  ExportRecipientsParams,
  ExportSendsParams,
  ListAuditEventsParams,
  ListChatConfigurationsParams,
  ListInboundMessagesParams,
  ListSendRecipientsParams,
  ListSendsParams,
  ListUserRecipientsParams,
  PageParams,
  SendStatsParams,
  UsageParams,
} from './api-client.params.js';
import type { CallOptions } from './call-options.js';
import { type ExportDownload, filenameFromDisposition, guardedBody, ndjsonRows } from './export-download.js';
import { HttpTransport, type TransportRequest } from './http-transport.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { type Page, Paged } from './paged.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';
import { waitForSend, type WaitForSendOptions } from './wait-for-send.js';

export interface DingrelayClientOptions {
  /** Where the API listens, e.g. `http://127.0.0.1:3000` (a path prefix behind a proxy is kept). */
  baseUrl: string;
  /** `drk_…`; sent as `Authorization: Bearer`, kept in a private field, never in errors or logs. */
  apiKey: string;
  /** Per request (each attempt), until the whole JSON answer (or an export's headers) arrived. Default 30 s. */
  timeoutMs?: number;
  /** Another fetch implementation (a proxy agent, instrumentation); the global fetch by default. */
  fetch?: typeof fetch;
  userAgent?: string;
  /**
   * How reads and `createSend` are repeated after no answer, a 429 or a 502/503/504 (`DEFAULT_RETRY`: 3 retries,
   * backoff from 500 ms with full jitter, `Retry-After` honoured up to 20 s). Other writes only when a call passes
   * `retry: true`. `false` turns retrying off for every call (a caller that retries by itself, as the console does).
   */
  retry?: RetryOptions | false;
}

/** `POST /v1/sends`'s answer, plus whether it replayed an earlier send with the same Idempotency-Key. */
export interface CreatedSend extends CreateSendResponse {
  replayed: boolean;
  /** The Idempotency-Key the send was created with: the caller's, or the one the client generated. */
  idempotencyKey: string;
}

export interface CreateSendOptions extends CallOptions {
  /**
   * The same key and body return the first send (`replayed: true`); the same key with another body is a 409. When
   * absent the client generates one (a random UUID) for this call, so its own retries never create a second send.
   * Give your own (e.g. an order id) to make a retry of yours, in another process or after a crash, safe too.
   */
  idempotencyKey?: string;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 30_000;

const segment = encodeURIComponent;

/** The export methods' second argument: a format (as before options existed) or the options. */
function exportOptions(options: ExportFormat | (ExportOptions & CallOptions)): ExportOptions & CallOptions {
  if (typeof options !== 'string') return options;
  return options === 'ndjson' ? { format: 'ndjson' } : { format: 'csv' };
}

/** The item type of a page type. */
type ItemOf<P extends Page<unknown>> = P['items'][number];

/**
 * A typed client for dingrelay's HTTP API (Node ≥ 20 or a browser: global fetch). Every method resolves with the API's
 * JSON answer and rejects with a DingrelayError: a DingrelayApiError subclass for an error status (validation,
 * authentication, permission, not found, conflict, rate limited, unavailable), DingrelayConnectionError when no
 * answer came (DingrelayTimeoutError after `timeoutMs`), DingrelayAbortError when the caller's signal fired.
 * Listing methods return a Paged: await it for one page, or iterate it for every item.
 */
export class DingrelayClient {
  private readonly http: HttpTransport;
  private readonly retry: RetryOptions | null;

  constructor(options: DingrelayClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new TypeError('DingrelayClient: apiKey is required');
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new TypeError('DingrelayClient: baseUrl must be an absolute http(s) URL');
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('DingrelayClient: baseUrl must be an http(s) URL');
    this.http = new HttpTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey.trim(),
      timeoutMs: options.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
      // Bound: a browser's fetch called as another object's method throws "Illegal invocation".
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      userAgent: options.userAgent ?? 'dingrelay-api-client',
    });
    this.retry = options.retry === false ? null : { ...DEFAULT_RETRY, ...options.retry };
  }

  // --- sends -----------------------------------------------------------------------------------------------

  /**
   * `POST /v1/sends`: records the send and its recipients (202); delivery happens in the background. Always sent with
   * an Idempotency-Key (yours or a generated one), so it is retried like a read: an answer lost on the way back is
   * asked for again and replayed, never a second send.
   */
  async createSend<K extends MsgKey>(request: CreateSendRequest<K>, options: CreateSendOptions = {}): Promise<CreatedSend> {
    const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
    const result = await this.http.json<CreateSendResponse>({
      ...this.call(options, true),
      method: 'POST',
      path: '/v1/sends',
      body: request,
      headers: { 'idempotency-key': idempotencyKey },
    });
    return { ...result.body, replayed: result.headers.get('idempotent-replayed') === 'true', idempotencyKey };
  }

  /** `GET /v1/sends/{id}`: status, recipients counted per status, progress and its ETA, read and recall state. */
  async getSend(id: string, options?: CallOptions): Promise<SendStatusResponse> {
    return this.get(`/v1/sends/${segment(id)}`, undefined, options);
  }

  /**
   * Polls the send until it is completed or cancelled and resolves with its final status, telling `onProgress` each
   * status read (counts, `progress.estimatedCompletionAt`). Rejects with DingrelayWaitTimeoutError after `timeoutMs`
   * (its `send` is the status then), DingrelayAbortError when `signal` fires.
   */
  async waitForSend(id: string, options: WaitForSendOptions = {}): Promise<SendStatusResponse> {
    return waitForSend((sendId, call) => this.getSend(sendId, call), id, options);
  }

  /** `GET /v1/sends/{id}/recipients`: per-recipient outcomes, paged. */
  listSendRecipients(id: string, params: ListSendRecipientsParams = {}, options?: CallOptions): Paged<ItemOf<ListRecipientsResponse>, ListRecipientsResponse> {
    return this.paged(`/v1/sends/${segment(id)}/recipients`, params, options);
  }

  /** `POST /v1/sends/{id}/cancel`. Not retried unless `retry: true` (asking twice cancels once). */
  async cancelSend(id: string, options?: CallOptions): Promise<CancelSendResponse> {
    return this.write('POST', `/v1/sends/${segment(id)}/cancel`, undefined, options);
  }

  /** `POST /v1/sends/{id}/recall` (202); asking again is a replay (`replayed: true`), so `retry: true` is safe. */
  async recallSend(id: string, options?: CallOptions): Promise<RecallSendResponse> {
    return this.write('POST', `/v1/sends/${segment(id)}/recall`, undefined, options);
  }

  /** `POST /v1/sends/{id}/read-status/refresh` (202). */
  async refreshReadStatus(id: string, options?: CallOptions): Promise<RefreshReadStatusResponse> {
    return this.write('POST', `/v1/sends/${segment(id)}/read-status/refresh`, undefined, options);
  }

  /** `GET /v1/sends/{id}/events`: the send's timeline, oldest first, paged. */
  listSendEvents(id: string, params: PageParams = {}, options?: CallOptions): Paged<ItemOf<SendEventPage>, SendEventPage> {
    return this.paged(`/v1/sends/${segment(id)}/events`, params, options);
  }

  // --- history and exports ---------------------------------------------------------------------------------

  /** `GET /v1/sends`: send history, newest first, paged. */
  listSends(params: ListSendsParams = {}, options?: CallOptions): Paged<SendHistoryItem, HistoryPage<SendHistoryItem>> {
    return this.paged('/v1/sends', params, options);
  }

  /** `GET /v1/recipients`: everything one user was sent, newest first, paged. */
  listUserRecipients(params: ListUserRecipientsParams, options?: CallOptions): Paged<RecipientHistoryItem, HistoryPage<RecipientHistoryItem>> {
    return this.paged('/v1/recipients', params, options);
  }

  /**
   * `GET /v1/stats/sends`: sends per status in hour or day buckets (cut in `timeZone`, UTC by default) over
   * `createdFrom` (inclusive) to `createdTo` (exclusive), with the recipients' totals and lost-answer calls.
   */
  async getSendStats(params: SendStatsParams, options?: CallOptions): Promise<SendStatsResponse> {
    return this.get('/v1/stats/sends', params, options);
  }

  /**
   * `GET /v1/exports/sends` as a byte stream: CSV by default; `'ndjson'`, or `{ format, bom }` (`{ bom: true }`: a CSV
   * that starts with the UTF-8 byte order mark, for Excel), with `signal`/`timeoutMs`/`retry` as for any call (the
   * timeout covers the wait for the headers; the signal also cuts the body).
   */
  async exportSends(params: ExportSendsParams = {}, options: ExportFormat | (ExportOptions & CallOptions) = 'csv'): Promise<ExportDownload> {
    return this.download('/v1/exports/sends', params, exportOptions(options));
  }

  /** `GET /v1/exports/recipients` as a byte stream, options as for exportSends; `userId` optional. */
  async exportRecipients(params: ExportRecipientsParams = {}, options: ExportFormat | (ExportOptions & CallOptions) = 'csv'): Promise<ExportDownload> {
    return this.download('/v1/exports/recipients', params, exportOptions(options));
  }

  /**
   * `POST /v1/exports/links`: a link that downloads one export once, without the API key, until `expiresAt` (60 s by
   * default) — for a browser's own download manager, which cannot send an Authorization header. `url` is absolute
   * (the API's path on this client's `baseUrl`); the key never appears in it.
   */
  async createExportLink(request: CreateExportLinkParams, options?: CallOptions): Promise<ExportLinkResponse> {
    const link = await this.write<ExportLinkResponse>('POST', '/v1/exports/links', request, options);
    return { url: this.http.absoluteUrl(link.url), expiresAt: link.expiresAt };
  }

  /** Every matching send, streamed as NDJSON and parsed row by row (constant memory). */
  exportSendRows(params: ExportSendsParams = {}, options: CallOptions = {}): AsyncGenerator<SendHistoryItem> {
    return this.rows<SendHistoryItem>('/v1/exports/sends', params, options);
  }

  /** Every matching recipient row, streamed as NDJSON and parsed row by row. */
  exportRecipientRows(params: ExportRecipientsParams = {}, options: CallOptions = {}): AsyncGenerator<RecipientHistoryItem> {
    return this.rows<RecipientHistoryItem>('/v1/exports/recipients', params, options);
  }

  // --- chat configurations and plugins ---------------------------------------------------------------------

  async createChatConfiguration(request: CreateChatConfigurationRequest, options?: CallOptions): Promise<ChatConfigurationResponse> {
    return this.write('POST', '/v1/chat-configurations', request, options);
  }

  listChatConfigurations(
    params: ListChatConfigurationsParams = {},
    options?: CallOptions,
  ): Paged<ItemOf<ListChatConfigurationsResponse>, ListChatConfigurationsResponse> {
    return this.paged('/v1/chat-configurations', params, options);
  }

  async getChatConfiguration(name: string, options?: CallOptions): Promise<ChatConfigurationResponse> {
    return this.get(`/v1/chat-configurations/${segment(name)}`, undefined, options);
  }

  /** `PATCH`: only the fields given change; null clears an optional one. */
  async updateChatConfiguration(name: string, changes: UpdateChatConfigurationRequest, options?: CallOptions): Promise<ChatConfigurationResponse> {
    return this.write('PATCH', `/v1/chat-configurations/${segment(name)}`, changes, options);
  }

  async deleteChatConfiguration(name: string, options?: CallOptions): Promise<DeleteChatConfigurationResponse> {
    return this.write('DELETE', `/v1/chat-configurations/${segment(name)}`, undefined, options);
  }

  /** What DingTalk reports for the robot's quick entries now, and what dingrelay last applied. */
  async getPlugins(configuration: string, options?: CallOptions): Promise<PluginsResponse> {
    return this.get(`/v1/chat-configurations/${segment(configuration)}/plugins`, undefined, options);
  }

  /** Replaces the robot's quick entries (DingTalk is called synchronously). */
  async setPlugins(configuration: string, request: SetPluginsRequest, options?: CallOptions): Promise<PluginsChangeResponse> {
    return this.write('PUT', `/v1/chat-configurations/${segment(configuration)}/plugins`, request, options);
  }

  async clearPlugins(configuration: string, options?: CallOptions): Promise<PluginsChangeResponse> {
    return this.write('DELETE', `/v1/chat-configurations/${segment(configuration)}/plugins`, undefined, options);
  }

  // --- API keys, audit, usage, inbound ---------------------------------------------------------------------

  /** `POST /v1/api-keys`: the answer's `key` is the only time the secret is shown. Never retry it blindly. */
  async createApiKey(request: CreateApiKeyRequest, options?: CallOptions): Promise<CreatedApiKeyResponse> {
    return this.write('POST', '/v1/api-keys', request, options);
  }

  listApiKeys(params: PageParams = {}, options?: CallOptions): Paged<ItemOf<ApiKeyListResponse>, ApiKeyListResponse> {
    return this.paged('/v1/api-keys', params, options);
  }

  /**
   * `GET /v1/api-keys/current`: the key this client calls with, for any role — its role, and for a sender the chat
   * configurations in scope. Never the secret.
   */
  async getCurrentApiKey(options?: CallOptions): Promise<ApiKeyResponse> {
    return this.get('/v1/api-keys/current', undefined, options);
  }

  async getApiKey(id: string, options?: CallOptions): Promise<ApiKeyResponse> {
    return this.get(`/v1/api-keys/${segment(id)}`, undefined, options);
  }

  async revokeApiKey(id: string, options?: CallOptions): Promise<ApiKeyResponse> {
    return this.write('POST', `/v1/api-keys/${segment(id)}/revoke`, undefined, options);
  }

  /** `GET /v1/audit-events`: newest first, paged. */
  listAuditEvents(params: ListAuditEventsParams = {}, options?: CallOptions): Paged<ItemOf<AuditEventPage>, AuditEventPage> {
    return this.paged('/v1/audit-events', params, options);
  }

  /**
   * Recomputes the audit log's hash chain on the server; with a published digest, also checks the chain still reaches
   * it unchanged. Slow on a large log (it reads every event): give the call a generous `timeoutMs`.
   */
  async verifyAuditChain(
    digest?: { count: number; hash: string; at?: string; signature?: string },
    options?: CallOptions,
  ): Promise<AuditChainVerification> {
    return this.get(
      '/v1/audit-events/verify',
      digest ? { digestCount: digest.count, digestHash: digest.hash, digestAt: digest.at, digestSignature: digest.signature } : {},
      options,
    );
  }

  /** `GET /v1/inbound-messages`: newest first, paged. */
  listInboundMessages(params: ListInboundMessagesParams = {}, options?: CallOptions): Paged<ItemOf<InboundMessagePage>, InboundMessagePage> {
    return this.paged('/v1/inbound-messages', params, options);
  }

  async getUsage(params: UsageParams = {}, options?: CallOptions): Promise<UsageResponse> {
    return this.get('/v1/usage', params, options);
  }

  /** `toJSON` and `util.inspect` show where the client points, never its key. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.http.describeUrl('/') };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DingrelayClient { baseUrl: '${this.http.describeUrl('/')}' }`;
  }

  // --- plumbing --------------------------------------------------------------------------------------------

  /** The transport's view of a call's options; `retriedByDefault` for reads and createSend. */
  private call(options: CallOptions | undefined, retriedByDefault: boolean): Pick<TransportRequest, 'signal' | 'timeoutMs' | 'retry'> {
    const asked = options?.retry;
    let retry: RetryOptions | null;
    if (asked === undefined) retry = retriedByDefault ? this.retry : null;
    else if (asked === false) retry = null;
    else if (asked === true) retry = this.retry ?? DEFAULT_RETRY;
    else retry = { ...DEFAULT_RETRY, ...this.retry, ...asked };
    return { signal: options?.signal, timeoutMs: options?.timeoutMs, retry };
  }

  private async get<T>(path: string, query: object | undefined, options: CallOptions | undefined): Promise<T> {
    return (await this.http.json<T>({ ...this.call(options, true), method: 'GET', path, query })).body;
  }

  private async write<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, options: CallOptions | undefined): Promise<T> {
    return (await this.http.json<T>({ ...this.call(options, false), method, path, body })).body;
  }

  /** A keyset listing: the first page from the caller's `nextToken` (if any), then each page's own. */
  private paged<P extends Page<unknown>>(path: string, params: PageParams, options: CallOptions | undefined): Paged<ItemOf<P>, P> {
    const { nextToken, ...filters } = params;
    return new Paged<ItemOf<P>, P>((token) => this.get<P>(path, { ...filters, nextToken: token }, options), nextToken);
  }

  private async download(path: string, params: object, { format = 'csv', bom, ...options }: ExportOptions & CallOptions): Promise<ExportDownload> {
    const request = { ...this.call(options, true), method: 'GET' as const, path, query: { ...params, format, ...(bom ? { bom: true } : {}) } };
    const response = await this.http.stream(request);
    if (!response.body) throw this.http.toConnectionError(request, new Error('the export response had no body'), null);
    return {
      format,
      filename: filenameFromDisposition(response.headers.get('content-disposition')),
      contentType: response.headers.get('content-type') ?? '',
      body: guardedBody(response.body, (cause) =>
        options.signal?.aborted
          ? abortError(options.signal, `GET ${this.http.describeUrl(path)}`)
          : this.http.toConnectionError(request, cause instanceof Error ? new Error(`the export was cut short: ${cause.message}`) : cause, null),
      ),
    };
  }

  private async *rows<T>(path: string, params: object, options: CallOptions): AsyncGenerator<T> {
    const download = await this.download(path, params, { format: 'ndjson', ...options });
    const url = this.http.describeUrl(path);
    yield* ndjsonRows<T>(download.body, (message) => new DingrelayConnectionError({ message, timedOut: false, method: 'GET', url }));
  }
}
