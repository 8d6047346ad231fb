import { AccessTokenProvider, type AccessTokenProviderOptions } from './access-token.provider.js';
import type { AccessTokenStore } from './access-token.store.js';
import { type DingTalkCallEvent, type DingTalkClientObserver, describeCallFailure, notify } from './call-observer.js';
import { DingTalkApi, DingTalkApiError, DingTalkRequestError, DingTalkTransportError, TransportFailure } from './dingtalk-api.error.js';
import {
  type AccessTokenResponse,
  type BatchRecallRequest,
  type BatchRecallResult,
  type BatchSendOTORequest,
  type BatchSendOTOResult,
  type ClearPluginsRequest,
  DINGTALK_LIMITS,
  type DingTalkAppCredentials,
  type MessageReadInfo,
  type PluginsMutationResult,
  type QueryPluginsRequest,
  type QueryPluginsResult,
  type ReadStatusRequest,
  type ReadStatusResult,
  type RobotPluginInfo,
  type SetPluginsRequest,
} from './dingtalk.types.js';
import { type ConnectionStats, HttpTransport, type TransportRequest, type TransportResponse } from './http-transport.js';
import type { CallPacer } from './in-process-pacer.js';
import { RetryClass } from './retry-class.js';

export const DINGTALK_BASE_URL = 'https://api.dingtalk.com';

export interface DingTalkClientOptions {
  /** Default https://api.dingtalk.com; the simulator's URL in development and tests. */
  baseUrl?: string;
  /** Per-call deadline in ms, including the wait for a pooled connection (default 10 000). */
  timeoutMs?: number;
  /** Maximum concurrent connections to DingTalk (default 16). */
  maxSockets?: number;
  /** Idle keep-alive connections are closed after this many ms (default 4 000). */
  idleSocketTimeoutMs?: number;
  userAgent?: string;
  /** Where tokens are cached (default: in memory, this process only). */
  tokenStore?: AccessTokenStore;
  /** Refresh tokens this long before expiry (default 10 min, capped by maxRefreshMarginFraction of the lifetime). */
  tokenRefreshMarginMs?: number;
  maxRefreshMarginFraction?: number;
  /** Cross-process fetch lease settings; only used when the token store implements acquireFetchLease. */
  tokenFetchLeaseTtlMs?: number;
  tokenFetchLeasePollMs?: number;
  /** Answers larger than this are refused (default 1 MiB). */
  maxResponseBytes?: number;
  /** Told about every HTTP attempt and token fetch (metrics, logs); its errors are swallowed. */
  observer?: DingTalkClientObserver;
  /**
   * Awaited before every attempt of a paced call (all but the token fetch, which is cached and single-flight):
   * e.g. `new InProcessPacer()` for one process, or a shared implementation for several. Default: no pacing.
   * The wait is not part of `timeoutMs`; bound it with the call's `signal`.
   */
  pacer?: CallPacer;
}

/** Per-call settings. */
export interface DingTalkCallOptions {
  /** Overrides the client's timeoutMs for this call (the token fetch, shared by concurrent callers, keeps its own). */
  timeoutMs?: number;
  /** Abandons the call; the resulting DingTalkTransportError (failure `aborted`) says whether it had been sent. */
  signal?: AbortSignal;
}

const PATHS = {
  accessToken: '/v1.0/oauth2/accessToken',
  batchSend: '/v1.0/robot/oToMessages/batchSend',
  readStatus: '/v1.0/robot/oToMessages/readStatus',
  // Lower-case "oto" is DingTalk's own spelling for recall (§1); do not "fix" it.
  batchRecall: '/v1.0/robot/otoMessages/batchRecall',
  pluginsSet: '/v1.0/robot/plugins/set',
  pluginsQuery: '/v1.0/robot/plugins/query',
  pluginsClear: '/v1.0/robot/plugins/clear',
} as const;

/**
 * DingTalk robot one-to-one messaging over one keep-alive connection pool. Every call takes the app's credentials,
 * so one client serves many apps; tokens are cached per appKey. Errors are DingTalkApiError (DingTalk said no),
 * DingTalkTransportError (no usable answer) or DingTalkRequestError (refused locally, nothing sent).
 */
export class DingTalkClient {
  readonly tokens: AccessTokenProvider;
  private readonly http: HttpTransport;
  private readonly observer: DingTalkClientObserver | undefined;
  private readonly pacer: CallPacer | undefined;

  constructor(options: DingTalkClientOptions = {}) {
    this.observer = options.observer;
    this.pacer = options.pacer;
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.http = new HttpTransport({
      baseUrl: options.baseUrl ?? DINGTALK_BASE_URL,
      timeoutMs,
      maxSockets: options.maxSockets ?? 16,
      idleSocketTimeoutMs: options.idleSocketTimeoutMs ?? 4_000,
      userAgent: options.userAgent ?? 'dingrelay-dingtalk-client/0.1',
      maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    });
    const providerOptions: AccessTokenProviderOptions = {
      store: options.tokenStore,
      refreshMarginMs: options.tokenRefreshMarginMs,
      maxRefreshMarginFraction: options.maxRefreshMarginFraction,
      // A lease must outlive the token call it guards.
      fetchLeaseTtlMs: options.tokenFetchLeaseTtlMs ?? Math.max(30_000, 2 * timeoutMs),
      fetchLeasePollMs: options.tokenFetchLeasePollMs,
    };
    this.tokens = new AccessTokenProvider((app) => this.fetchAccessToken(app), providerOptions);
  }

  /** A cached (or freshly fetched) access token for the app. */
  getAccessToken(app: DingTalkAppCredentials): Promise<string> {
    return this.tokens.getAccessToken(app);
  }

  /** Send one message to ≤ 20 users. Not idempotent: see DingTalkError.ambiguous before retrying. */
  async batchSendOTO<K extends string>(
    app: DingTalkAppCredentials,
    request: BatchSendOTORequest<K>,
    options: DingTalkCallOptions = {},
  ): Promise<BatchSendOTOResult> {
    const api = DingTalkApi.BatchSendOTO;
    const msgParam = this.checked(api, app, () => {
      requireText(api, 'robotCode', request.robotCode, 'invalidParameter.robotCode.empty');
      requireText(api, 'msgKey', request.msgKey, 'invalidParameter.msgKey.empty');
      requireList(api, 'userIds', request.userIds, DINGTALK_LIMITS.batchSendMaxUserIds, {
        empty: 'invalidParameter.userIds.empty',
        overMax: 'invalidParameter.userIds.overMax',
      });
      request.userIds.forEach((id, i) => requireText(api, `userIds.${i}`, id, 'invalidParameter.userId.empty'));
      return jsonObjectString(api, 'msgParam', request.msgParam, 'invalidParameter.msgParam.invalid');
    });

    return this.tokenCall(
      app,
      {
        api,
        method: 'POST',
        path: PATHS.batchSend,
        body: { robotCode: request.robotCode, userIds: [...request.userIds], msgKey: request.msgKey, msgParam },
        idempotent: false,
      },
      options,
      (res) => {
        const body = objectBody(api, res, false);
        const processQueryKey = body['processQueryKey'];
        if (typeof processQueryKey !== 'string' || processQueryKey === '') {
          // DingTalk accepted the call, so messages may have gone out: this is ambiguous, not a clean failure.
          throw invalidResponse(api, res, 'answer has no processQueryKey', false);
        }
        return {
          processQueryKey,
          invalidStaffIdList: stringList(body['invalidStaffIdList']),
          flowControlledStaffIdList: stringList(body['flowControlledStaffIdList']),
          filteredStaffIdList: stringList(body['filteredStaffIdList']),
          requestId: res.requestId,
        };
      },
    );
  }

  /** Read status of one batchSend (queryable for 24 h; `processQueryKey.expireTime` right after sending = not ready). */
  async readStatus(app: DingTalkAppCredentials, request: ReadStatusRequest, options: DingTalkCallOptions = {}): Promise<ReadStatusResult> {
    const api = DingTalkApi.ReadStatus;
    this.checked(api, app, () => {
      requireText(api, 'robotCode', request.robotCode, 'invalidParameter.robotCode.empty');
      requireText(api, 'processQueryKey', request.processQueryKey, 'invalidParameter.processQueryKey.missing');
    });
    return this.tokenCall(
      app,
      {
        api,
        method: 'GET',
        path: PATHS.readStatus,
        // URLSearchParams percent-encodes the `+ / =` that processQueryKeys contain.
        query: { robotCode: request.robotCode, processQueryKey: request.processQueryKey },
        idempotent: true,
      },
      options,
      (res) => {
        const body = objectBody(api, res, true);
        const rawStatus = typeof body['sendStatus'] === 'string' ? body['sendStatus'] : '';
        const list = Array.isArray(body['messageReadInfoList']) ? body['messageReadInfoList'] : [];
        return {
          // DingTalk's own docs and SDK examples spell it SUCESS.
          sendStatus: rawStatus === 'SUCESS' ? 'SUCCESS' : rawStatus,
          messageReadInfoList: list.filter(isRecord).map(toReadInfo),
          requestId: res.requestId,
        };
      },
    );
  }

  /** Recall up to 20 messages sent by this robot within the last 24 h. */
  async batchRecall(app: DingTalkAppCredentials, request: BatchRecallRequest, options: DingTalkCallOptions = {}): Promise<BatchRecallResult> {
    const api = DingTalkApi.BatchRecall;
    this.checked(api, app, () => {
      requireText(api, 'robotCode', request.robotCode, 'invalidParameter.robotCode.empty');
      requireList(api, 'processQueryKeys', request.processQueryKeys, DINGTALK_LIMITS.batchRecallMaxKeys, {
        empty: 'invalidParameter.processQueryKey.missing',
        overMax: 'invalidParameter.processQueryKeys.overMax',
      });
      request.processQueryKeys.forEach((k, i) =>
        requireText(api, `processQueryKeys.${i}`, k, 'invalidParameter.processQueryKey.missing'),
      );
    });
    return this.tokenCall(
      app,
      {
        api,
        method: 'POST',
        path: PATHS.batchRecall,
        body: { robotCode: request.robotCode, processQueryKeys: [...request.processQueryKeys] },
        idempotent: true,
      },
      options,
      (res) => {
        const body = objectBody(api, res, true);
        const failed: Record<string, string> = {};
        if (isRecord(body['failedResult'])) {
          for (const [k, v] of Object.entries(body['failedResult'])) failed[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
        return { successResult: stringList(body['successResult']), failedResult: failed, requestId: res.requestId };
      },
    );
  }

  /** Set the robot's single-chat quick entries (DingTalk's replace-vs-append semantics are unconfirmed, §6.1). */
  async setPlugins(app: DingTalkAppCredentials, request: SetPluginsRequest, options: DingTalkCallOptions = {}): Promise<PluginsMutationResult> {
    const api = DingTalkApi.SetPlugins;
    const pluginInfoList = this.checked(api, app, () => {
      requireText(api, 'robotCode', request.robotCode, 'param.illegal');
      return request.pluginInfoList.map((p, i) => {
        requireText(api, `pluginInfoList.${i}.icon`, p.icon, 'param.illegal');
        const entry: Record<string, string> = {
          name: jsonObjectString(api, `pluginInfoList.${i}.name`, p.name, 'invalidRequest.jsonFormatErroj'),
          icon: p.icon,
        };
        if (p.pcUrl !== undefined) entry['pcUrl'] = p.pcUrl;
        if (p.mobileUrl !== undefined) entry['mobileUrl'] = p.mobileUrl;
        return entry;
      });
    });
    return this.pluginCall(app, api, PATHS.pluginsSet, { robotCode: request.robotCode, pluginInfoList }, options, (res) => ({
      result: objectBody(api, res, true)['result'] === true,
      requestId: res.requestId,
    }));
  }

  async queryPlugins(app: DingTalkAppCredentials, request: QueryPluginsRequest, options: DingTalkCallOptions = {}): Promise<QueryPluginsResult> {
    const api = DingTalkApi.QueryPlugins;
    this.checked(api, app, () => requireText(api, 'robotCode', request.robotCode, 'param.illegal'));
    return this.pluginCall(app, api, PATHS.pluginsQuery, { robotCode: request.robotCode }, options, (res) => {
      const body = objectBody(api, res, true);
      const list = Array.isArray(body['pluginInfoList']) ? body['pluginInfoList'] : [];
      return { pluginInfoList: list.filter(isRecord).map(toPluginInfo), requestId: res.requestId };
    });
  }

  async clearPlugins(app: DingTalkAppCredentials, request: ClearPluginsRequest, options: DingTalkCallOptions = {}): Promise<PluginsMutationResult> {
    const api = DingTalkApi.ClearPlugins;
    this.checked(api, app, () => requireText(api, 'robotCode', request.robotCode, 'param.illegal'));
    return this.pluginCall(app, api, PATHS.pluginsClear, { robotCode: request.robotCode }, options, (res) => ({
      result: objectBody(api, res, true)['result'] === true,
      requestId: res.requestId,
    }));
  }

  /** Counters of requests and connections opened, to observe keep-alive reuse. */
  connectionStats(): ConnectionStats {
    return this.http.stats();
  }

  /** Close pooled connections. Calls in flight fail; the client cannot be used afterwards. */
  close(): void {
    this.http.close();
  }

  private pluginCall<T>(
    app: DingTalkAppCredentials,
    api: DingTalkApi,
    path: string,
    body: unknown,
    options: DingTalkCallOptions,
    interpret: (res: TransportResponse) => T,
  ): Promise<T> {
    // set/clear replace state wholesale, so replaying them is harmless.
    return this.tokenCall(app, { api, method: 'POST', path, body, idempotent: true }, options, interpret);
  }

  /** A call with the app's access token (every API but the token fetch itself), bounded by the caller's options. */
  private tokenCall<T>(
    app: DingTalkAppCredentials,
    req: Omit<TransportRequest, 'headers' | 'timeoutMs' | 'signal'>,
    options: DingTalkCallOptions,
    interpret: (res: TransportResponse) => T,
  ): Promise<T> {
    return this.withToken(app, (token) =>
      this.attempt(app, { ...req, headers: tokenHeader(token), timeoutMs: options.timeoutMs, signal: options.signal }, interpret),
    );
  }

  /** Runs the local checks of a call; a refusal is reported to the observer like any failed call, then thrown. */
  private checked<T>(api: DingTalkApi, app: DingTalkAppCredentials, check: () => T): T {
    try {
      return check();
    } catch (e) {
      this.reportCall({ api, appKey: app.appKey, durationMs: 0, ...describeCallFailure(e) });
      throw e;
    }
  }

  /**
   * One HTTP attempt: wait for the pacer (paced APIs), send, and read the answer with `interpret`, which may still
   * find it unusable. The observer hears of the attempt once, with how it finally ended.
   */
  private async attempt<T>(app: DingTalkAppCredentials, req: TransportRequest, interpret: (res: TransportResponse) => T): Promise<T> {
    if (this.pacer && req.api !== DingTalkApi.AccessToken) await this.pace(app.appKey, req.api, req.signal);
    const startedAt = performance.now();
    let httpStatus: number | undefined;
    try {
      const res = await this.http.request(req);
      httpStatus = res.status;
      const out = interpret(res);
      this.reportCall({ api: req.api, appKey: app.appKey, outcome: 'ok', httpStatus, durationMs: performance.now() - startedAt });
      return out;
    } catch (e) {
      const failure = describeCallFailure(e);
      if (failure.httpStatus === undefined && httpStatus !== undefined) failure.httpStatus = httpStatus;
      this.reportCall({ api: req.api, appKey: app.appKey, durationMs: performance.now() - startedAt, ...failure });
      throw e;
    }
  }

  /** Waits for the pacer; an abort while waiting is the same error as an abort before sending. */
  private async pace(appKey: string, api: DingTalkApi, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.pacer?.acquire(appKey, api, signal);
    } catch (e) {
      if (!signal?.aborted) throw e;
      throw new DingTalkTransportError({
        api,
        failure: TransportFailure.Aborted,
        requestSent: false,
        idempotent: true,
        detail: 'aborted by the caller while waiting for the pacer',
        cause: signal.reason,
      });
    }
  }

  private reportCall(event: DingTalkCallEvent): void {
    notify(this.observer?.onCall, this.observer, event);
  }

  /**
   * Run a call with the app's token; if DingTalk rejects the token, drop it (only if nobody replaced it yet), fetch
   * another and try exactly once more (§8.3). A rejected token means DingTalk did not act, so this is safe even for
   * batchSend.
   */
  private async withToken<T>(app: DingTalkAppCredentials, call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.tokens.getAccessToken(app);
    try {
      return await call(token);
    } catch (e) {
      if (!(e instanceof DingTalkApiError) || e.retryClass !== RetryClass.Auth) throw e;
      await this.tokens.invalidate(app.appKey, token);
      return call(await this.tokens.getAccessToken(app));
    }
  }

  private async fetchAccessToken(app: DingTalkAppCredentials): Promise<AccessTokenResponse> {
    const startedAt = performance.now();
    try {
      const token = await this.requestAccessToken(app);
      notify(this.observer?.onTokenFetch, this.observer, { appKey: app.appKey, outcome: 'ok', durationMs: performance.now() - startedAt });
      return token;
    } catch (e) {
      const { code } = describeCallFailure(e);
      notify(this.observer?.onTokenFetch, this.observer, {
        appKey: app.appKey,
        outcome: 'error',
        durationMs: performance.now() - startedAt,
        ...(code === undefined ? {} : { code }),
      });
      throw e;
    }
  }

  private requestAccessToken(app: DingTalkAppCredentials): Promise<AccessTokenResponse> {
    const api = DingTalkApi.AccessToken;
    this.checked(api, app, () => {
      requireText(api, 'appKey', app.appKey, 'invalidClientIdOrSecret');
      requireText(api, 'appSecret', app.appSecret, 'invalidClientIdOrSecret');
    });
    return this.attempt(
      app,
      { api, method: 'POST', path: PATHS.accessToken, body: { appKey: app.appKey, appSecret: app.appSecret }, idempotent: true },
      (res) => {
        const body = objectBody(api, res, true);
        const accessToken = body['accessToken'];
        const expireIn = typeof body['expireIn'] === 'string' ? Number(body['expireIn']) : body['expireIn'];
        if (typeof accessToken !== 'string' || accessToken === '' || typeof expireIn !== 'number' || !(expireIn > 0)) {
          throw invalidResponse(api, res, 'answer lacks accessToken/expireIn', true);
        }
        return { accessToken, expireIn };
      },
    );
  }
}

function tokenHeader(token: string): Record<string, string> {
  return { 'x-acs-dingtalk-access-token': token };
}

function requireText(api: DingTalkApi, field: string, value: unknown, code: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new DingTalkRequestError(api, field, code, 'is empty');
}

function requireList(
  api: DingTalkApi,
  field: string,
  value: readonly unknown[],
  max: number,
  codes: { empty: string; overMax: string },
): void {
  if (!Array.isArray(value) || value.length === 0) throw new DingTalkRequestError(api, field, codes.empty, 'is empty');
  if (value.length > max) {
    throw new DingTalkRequestError(api, field, codes.overMax, `has ${value.length} entries, at most ${max} allowed`);
  }
}

/** DingTalk wants nested JSON documents as strings; accept an object or a string that already holds one. */
function jsonObjectString(api: DingTalkApi, field: string, value: unknown, code: string): string {
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new DingTalkRequestError(api, field, code, 'is not valid JSON');
    }
    if (!isRecord(parsed)) throw new DingTalkRequestError(api, field, code, 'is not a JSON object');
    return value;
  }
  if (!isRecord(value)) throw new DingTalkRequestError(api, field, code, 'must be an object or a JSON object string');
  return JSON.stringify(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function objectBody(api: DingTalkApi, res: TransportResponse, idempotent: boolean): Record<string, unknown> {
  if (!isRecord(res.body)) throw invalidResponse(api, res, 'answer is not a JSON object', idempotent);
  return res.body;
}

function invalidResponse(api: DingTalkApi, res: TransportResponse, detail: string, idempotent: boolean): DingTalkTransportError {
  return new DingTalkTransportError({
    api,
    failure: TransportFailure.InvalidResponse,
    requestSent: true,
    idempotent,
    detail,
    httpStatus: res.status,
    requestId: res.requestId,
  });
}

function toReadInfo(r: Record<string, unknown>): MessageReadInfo {
  const info: MessageReadInfo = {
    name: typeof r['name'] === 'string' ? r['name'] : '',
    userId: typeof r['userId'] === 'string' ? r['userId'] : '',
    readStatus: typeof r['readStatus'] === 'string' ? r['readStatus'] : '',
  };
  const ts = typeof r['readTimestamp'] === 'string' ? Number(r['readTimestamp']) : r['readTimestamp'];
  if (typeof ts === 'number' && Number.isFinite(ts)) info.readTimestamp = ts;
  return info;
}

function toPluginInfo(r: Record<string, unknown>): RobotPluginInfo {
  const rawName = typeof r['name'] === 'string' ? r['name'] : '';
  let name: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(rawName);
    if (isRecord(parsed)) {
      name = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // Not JSON: keep rawName only.
  }
  const info: RobotPluginInfo = { name, rawName, icon: typeof r['icon'] === 'string' ? r['icon'] : '' };
  if (typeof r['pcUrl'] === 'string') info.pcUrl = r['pcUrl'];
  if (typeof r['mobileUrl'] === 'string') info.mobileUrl = r['mobileUrl'];
  return info;
}
