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
import { type ExportDownload, filenameFromDisposition, guardedBody, ndjsonRows } from './export-download.js';
import { HttpTransport } from './http-transport.js';
import { type Page, pageItems, pages } from './pages.js';
import type { RetryOptions } from './retry-policy.js';

export interface DingrelayClientOptions {
  /** Where the API listens, e.g. `http://127.0.0.1:3000` (a path prefix behind a proxy is kept). */
  baseUrl: string;
  /** `drk_…`; sent as `Authorization: Bearer`, kept in a private field, never in errors or logs. */
  apiKey: string;
  /** Per request, until the whole JSON answer (or an export's headers) arrived. Default 30 s. */
  timeoutMs?: number;
  /** Another fetch implementation (a proxy agent, instrumentation); Node's global fetch by default. */
  fetch?: typeof fetch;
  userAgent?: string;
  /** Retries on 429 and 503, honouring `Retry-After`. Off by default (`{ retries: 0 }`). */
  retry?: RetryOptions;
}

/** `POST /v1/sends`'s answer, plus whether it replayed an earlier send with the same Idempotency-Key. */
export interface CreatedSend extends CreateSendResponse {
  replayed: boolean;
}

export interface CreateSendOptions {
  /** Retry-safe creation: the same key and body return the first send; the same key with another body is a 409. */
  idempotencyKey?: string;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 30_000;

const segment = encodeURIComponent;

/** The export methods' second argument: a format (as before options existed) or the options. */
function exportOptions(options: ExportFormat | ExportOptions): ExportOptions {
  if (typeof options !== 'string') return options;
  return options === 'ndjson' ? { format: 'ndjson' } : { format: 'csv' };
}

/**
 * A typed client for dingrelay's HTTP API (Node ≥ 20, global fetch). Every method resolves with the API's JSON answer
 * and rejects with DingrelayApiError (an error status, with dingrelay's error body) or DingrelayConnectionError
 * (unreachable, cut off, or no answer within `timeoutMs`).
 */
export class DingrelayClient {
  private readonly http: HttpTransport;

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
      retry: options.retry ?? { retries: 0 },
    });
  }

  // --- sends -----------------------------------------------------------------------------------------------

  /** `POST /v1/sends`: records the send and its recipients (202); delivery happens in the background. */
  async createSend<K extends MsgKey>(request: CreateSendRequest<K>, options: CreateSendOptions = {}): Promise<CreatedSend> {
    const result = await this.http.json<CreateSendResponse>({
      method: 'POST',
      path: '/v1/sends',
      body: request,
      headers: options.idempotencyKey === undefined ? undefined : { 'idempotency-key': options.idempotencyKey },
      // The same key and body return the first send: only then is a repeat after a 503 harmless.
      replaySafe: options.idempotencyKey !== undefined,
    });
    return { ...result.body, replayed: result.headers.get('idempotent-replayed') === 'true' };
  }

  /** `GET /v1/sends/{id}`: status, recipients counted per status, progress, read and recall state. */
  async getSend(id: string): Promise<SendStatusResponse> {
    return this.get(`/v1/sends/${segment(id)}`);
  }

  /** `GET /v1/sends/{id}/recipients`: one page of per-recipient outcomes. */
  async listSendRecipients(id: string, params: ListSendRecipientsParams = {}): Promise<ListRecipientsResponse> {
    return this.get(`/v1/sends/${segment(id)}/recipients`, params);
  }

  /** `POST /v1/sends/{id}/cancel`. */
  async cancelSend(id: string): Promise<CancelSendResponse> {
    return this.post(`/v1/sends/${segment(id)}/cancel`, true);
  }

  /** `POST /v1/sends/{id}/recall` (202); asking again is a replay (`replayed: true`). */
  async recallSend(id: string): Promise<RecallSendResponse> {
    return this.post(`/v1/sends/${segment(id)}/recall`, true);
  }

  /** `POST /v1/sends/{id}/read-status/refresh` (202). */
  async refreshReadStatus(id: string): Promise<RefreshReadStatusResponse> {
    return this.post(`/v1/sends/${segment(id)}/read-status/refresh`, true);
  }

  /** `GET /v1/sends/{id}/events`: the send's timeline, oldest first. */
  async listSendEvents(id: string, params: PageParams = {}): Promise<SendEventPage> {
    return this.get(`/v1/sends/${segment(id)}/events`, params);
  }

  // --- history and exports ---------------------------------------------------------------------------------

  /** `GET /v1/sends`: send history, newest first. */
  async listSends(params: ListSendsParams = {}): Promise<HistoryPage<SendHistoryItem>> {
    return this.get('/v1/sends', params);
  }

  /** `GET /v1/recipients`: everything one user was sent, newest first. */
  async listUserRecipients(params: ListUserRecipientsParams): Promise<HistoryPage<RecipientHistoryItem>> {
    return this.get('/v1/recipients', params);
  }

  /**
   * `GET /v1/stats/sends`: sends per status in hour or day buckets (cut in `timeZone`, UTC by default) over
   * `createdFrom` (inclusive) to `createdTo` (exclusive), with the recipients' totals and lost-answer calls.
   */
  async getSendStats(params: SendStatsParams): Promise<SendStatsResponse> {
    return this.get('/v1/stats/sends', params);
  }

  /**
   * `GET /v1/exports/sends` as a byte stream: CSV by default; `'ndjson'`, or `{ format, bom }` (`{ bom: true }`: a CSV
   * that starts with the UTF-8 byte order mark, for Excel).
   */
  async exportSends(params: ExportSendsParams = {}, options: ExportFormat | ExportOptions = 'csv'): Promise<ExportDownload> {
    return this.download('/v1/exports/sends', params, exportOptions(options));
  }

  /** `GET /v1/exports/recipients` as a byte stream, options as for exportSends; `userId` optional. */
  async exportRecipients(params: ExportRecipientsParams = {}, options: ExportFormat | ExportOptions = 'csv'): Promise<ExportDownload> {
    return this.download('/v1/exports/recipients', params, exportOptions(options));
  }

  /**
   * `POST /v1/exports/links`: a link that downloads one export once, without the API key, until `expiresAt` (60 s by
   * default) — for a browser's own download manager, which cannot send an Authorization header. `url` is absolute
   * (the API's path on this client's `baseUrl`); the key never appears in it.
   */
  async createExportLink(request: CreateExportLinkParams): Promise<ExportLinkResponse> {
    const link = await this.send<ExportLinkResponse>('POST', '/v1/exports/links', request);
    return { url: this.http.absoluteUrl(link.url), expiresAt: link.expiresAt };
  }

  /** Every matching send, streamed as NDJSON and parsed row by row (constant memory). */
  exportSendRows(params: ExportSendsParams = {}): AsyncGenerator<SendHistoryItem> {
    return this.rows<SendHistoryItem>('/v1/exports/sends', params);
  }

  /** Every matching recipient row, streamed as NDJSON and parsed row by row. */
  exportRecipientRows(params: ExportRecipientsParams = {}): AsyncGenerator<RecipientHistoryItem> {
    return this.rows<RecipientHistoryItem>('/v1/exports/recipients', params);
  }

  // --- chat configurations and plugins ---------------------------------------------------------------------

  async createChatConfiguration(request: CreateChatConfigurationRequest): Promise<ChatConfigurationResponse> {
    return this.send('POST', '/v1/chat-configurations', request);
  }

  async listChatConfigurations(params: ListChatConfigurationsParams = {}): Promise<ListChatConfigurationsResponse> {
    return this.get('/v1/chat-configurations', params);
  }

  async getChatConfiguration(name: string): Promise<ChatConfigurationResponse> {
    return this.get(`/v1/chat-configurations/${segment(name)}`);
  }

  /** `PATCH`: only the fields given change; null clears an optional one. */
  async updateChatConfiguration(name: string, changes: UpdateChatConfigurationRequest): Promise<ChatConfigurationResponse> {
    return this.send('PATCH', `/v1/chat-configurations/${segment(name)}`, changes);
  }

  async deleteChatConfiguration(name: string): Promise<DeleteChatConfigurationResponse> {
    return this.send('DELETE', `/v1/chat-configurations/${segment(name)}`);
  }

  /** What DingTalk reports for the robot's quick entries now, and what dingrelay last applied. */
  async getPlugins(configuration: string): Promise<PluginsResponse> {
    return this.get(`/v1/chat-configurations/${segment(configuration)}/plugins`);
  }

  /** Replaces the robot's quick entries (DingTalk is called synchronously). */
  async setPlugins(configuration: string, request: SetPluginsRequest): Promise<PluginsChangeResponse> {
    return this.send('PUT', `/v1/chat-configurations/${segment(configuration)}/plugins`, request);
  }

  async clearPlugins(configuration: string): Promise<PluginsChangeResponse> {
    return this.send('DELETE', `/v1/chat-configurations/${segment(configuration)}/plugins`);
  }

  // --- API keys, audit, usage, inbound ---------------------------------------------------------------------

  /** `POST /v1/api-keys`: the answer's `key` is the only time the secret is shown. */
  async createApiKey(request: CreateApiKeyRequest): Promise<CreatedApiKeyResponse> {
    return this.send('POST', '/v1/api-keys', request);
  }

  async listApiKeys(params: PageParams = {}): Promise<ApiKeyListResponse> {
    return this.get('/v1/api-keys', params);
  }

  /**
   * `GET /v1/api-keys/current`: the key this client calls with, for any role — its role, and for a sender the chat
   * configurations in scope. Never the secret.
   */
  async getCurrentApiKey(): Promise<ApiKeyResponse> {
    return this.get('/v1/api-keys/current');
  }

  async getApiKey(id: string): Promise<ApiKeyResponse> {
    return this.get(`/v1/api-keys/${segment(id)}`);
  }

  async revokeApiKey(id: string): Promise<ApiKeyResponse> {
    return this.post(`/v1/api-keys/${segment(id)}/revoke`, true);
  }

  /** `GET /v1/audit-events`: newest first. */
  async listAuditEvents(params: ListAuditEventsParams = {}): Promise<AuditEventPage> {
    return this.get('/v1/audit-events', params);
  }

  /**
   * Recomputes the audit log's hash chain on the server; with a published digest, also checks the chain still reaches
   * it unchanged. Slow on a large log (it reads every event): give the client a generous timeout.
   */
  async verifyAuditChain(
    digest?: { count: number; hash: string; at?: string; signature?: string },
  ): Promise<AuditChainVerification> {
    return this.get(
      '/v1/audit-events/verify',
      digest ? { digestCount: digest.count, digestHash: digest.hash, digestAt: digest.at, digestSignature: digest.signature } : {},
    );
  }

  async listInboundMessages(params: ListInboundMessagesParams = {}): Promise<InboundMessagePage> {
    return this.get('/v1/inbound-messages', params);
  }

  async getUsage(params: UsageParams = {}): Promise<UsageResponse> {
    return this.get('/v1/usage', params);
  }

  // --- paging --------------------------------------------------------------------------------------------------

  /**
   * Every page of a listing, following `nextToken`:
   * `for await (const page of client.pages((nextToken) => client.listSends({ status: 'completed', nextToken })))`.
   */
  pages<T, P extends Page<T>>(fetchPage: (nextToken: string | undefined) => Promise<P>): AsyncGenerator<P> {
    return pages<T, P>(fetchPage);
  }

  /** The items of every page, one by one. */
  items<T>(fetchPage: (nextToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
    return pageItems(fetchPage);
  }

  /** `toJSON` and `util.inspect` show where the client points, never its key. */
  toJSON(): Record<string, unknown> {
    return { baseUrl: this.http.describeUrl('/') };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `DingrelayClient { baseUrl: '${this.http.describeUrl('/')}' }`;
  }

  // --- plumbing --------------------------------------------------------------------------------------------

  private async get<T>(path: string, query?: object): Promise<T> {
    return (await this.http.json<T>({ method: 'GET', path, query })).body;
  }

  /** A POST without a body: an action on an existing resource; `replaySafe` when asking twice does it once. */
  private async post<T>(path: string, replaySafe: boolean): Promise<T> {
    return (await this.http.json<T>({ method: 'POST', path, replaySafe })).body;
  }

  private async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return (await this.http.json<T>({ method, path, body })).body;
  }

  private async download(path: string, params: object, { format = 'csv', bom }: ExportOptions): Promise<ExportDownload> {
    const request = { method: 'GET' as const, path, query: { ...params, format, ...(bom ? { bom: true } : {}) } };
    const response = await this.http.stream(request);
    if (!response.body) throw this.http.toConnectionError(request, new Error('the export response had no body'), false);
    return {
      format,
      filename: filenameFromDisposition(response.headers.get('content-disposition')),
      contentType: response.headers.get('content-type') ?? '',
      body: guardedBody(response.body, (cause) =>
        this.http.toConnectionError(request, cause instanceof Error ? new Error(`the export was cut short: ${cause.message}`) : cause, false),
      ),
    };
  }

  private async *rows<T>(path: string, params: object): AsyncGenerator<T> {
    const download = await this.download(path, params, { format: 'ndjson' });
    const url = this.http.describeUrl(path);
    yield* ndjsonRows<T>(download.body, (message) => new DingrelayConnectionError({ message, timedOut: false, method: 'GET', url }));
  }
}
