import type { ApiErrorDetail } from '../errors/api-error.js';
import { abortableSleep, abortError } from './abortable-sleep.js';
import { apiErrorFor, DingrelayApiError, DingrelayConnectionError, DingrelayTimeoutError } from './api-client.errors.js';
import { toQueryString } from './query-string.js';
import { parseRetryAfterMs, type RetryOptions, retryDelayMs } from './retry-policy.js';

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
  userAgent: string;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starts with `/`; path segments already encoded. */
  path: string;
  query?: object;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Per attempt; the transport's `timeoutMs` when absent. */
  timeoutMs?: number;
  /** How to repeat a failure for a passing reason; null: never (the caller decided repeating is not safe). */
  retry: RetryOptions | null;
}

export interface JsonResult<T> {
  body: T;
  status: number;
  headers: Headers;
}

/** Longest error body read: dingrelay's are small; anything bigger is not dingrelay's and only quoted in part. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

/**
 * One HTTP exchange with dingrelay: the key as a Bearer token, JSON in and out, a timeout per attempt, the caller's
 * AbortSignal, retries as the request says, and dingrelay's error JSON turned into the DingrelayApiError subclass of
 * its status. The key lives in a private field only, so it is in no error, no `toJSON` and no `console.log`.
 */
export class HttpTransport {
  readonly #apiKey: string;
  private readonly baseUrl: string;
  private readonly options: Omit<TransportOptions, 'apiKey'>;

  constructor({ apiKey, ...options }: TransportOptions) {
    this.#apiKey = apiKey;
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async json<T>(request: TransportRequest): Promise<JsonResult<T>> {
    return this.exchange(request, false, async (response) => {
      const text = await response.text();
      try {
        return { body: (text === '' ? undefined : JSON.parse(text)) as T, status: response.status, headers: response.headers };
      } catch {
        throw new DingrelayConnectionError({
          message: `dingrelay at ${this.describeUrl(request.path)} answered ${response.status} with a body that is not JSON`,
          timedOut: false,
          method: request.method,
          url: this.describeUrl(request.path),
        });
      }
    });
  }

  /**
   * A successful response whose body is left unread (exports). The timeout covers the wait for its headers only; the
   * caller's signal still cancels the body while it streams.
   */
  async stream(request: TransportRequest): Promise<Response> {
    return this.exchange(request, true, async (response) => response);
  }

  /** A path the API answered with (e.g. a download link's), as an absolute URL on `baseUrl` (its path prefix kept). */
  absoluteUrl(path: string): string {
    return new URL(this.baseUrl + path).toString();
  }

  /** Where a failure happened, for messages: no query string (filters may name users), no credentials. */
  describeUrl(path: string): string {
    const url = new URL(this.baseUrl + path);
    return `${url.protocol}//${url.host}${url.pathname}`;
  }

  private async exchange<R>(request: TransportRequest, streaming: boolean, onSuccess: (response: Response) => Promise<R>): Promise<R> {
    const what = `${request.method} ${this.describeUrl(request.path)}`;
    for (let attempt = 1; ; attempt++) {
      let failure: DingrelayApiError | DingrelayConnectionError;
      try {
        return await this.attempt(request, streaming, onSuccess);
      } catch (error) {
        if (!(error instanceof DingrelayApiError || error instanceof DingrelayConnectionError)) throw error;
        failure = error;
      }
      const delayMs = request.retry === null ? null : retryDelayMs(request.retry, attempt, failure);
      if (delayMs === null) throw failure;
      request.retry?.onRetry?.({
        attempt,
        status: failure instanceof DingrelayApiError ? failure.status : null,
        error: failure,
        delayMs,
        method: request.method,
        path: request.path,
      });
      await abortableSleep(delayMs, request.signal, what);
    }
  }

  /** One request: resolves with `onSuccess`'s result, or rejects with the API's error, a connection error or an abort. */
  private async attempt<R>(request: TransportRequest, streaming: boolean, onSuccess: (response: Response) => Promise<R>): Promise<R> {
    const { signal } = request;
    if (signal?.aborted) throw abortError(signal, `${request.method} ${this.describeUrl(request.path)}`);
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let handedOver = false;
    try {
      const response = await this.options.fetch(this.baseUrl + request.path + toQueryString(request.query), {
        method: request.method,
        headers: this.headers(request),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
      });
      if (!response.ok) throw await this.toApiError(request, response);
      const result = await onSuccess(response);
      handedOver = streaming;
      return result;
    } catch (failure) {
      if (signal?.aborted) throw abortError(signal, `${request.method} ${this.describeUrl(request.path)}`);
      if (failure instanceof DingrelayApiError || failure instanceof DingrelayConnectionError) throw failure;
      throw this.toConnectionError(request, failure, timedOut ? timeoutMs : null);
    } finally {
      clearTimeout(timer);
      // A streamed body is still read after this returns: the caller's signal must still be able to cut it.
      if (!handedOver) signal?.removeEventListener('abort', onAbort);
    }
  }

  private headers(request: TransportRequest): Record<string, string> {
    return {
      authorization: `Bearer ${this.#apiKey}`,
      accept: 'application/json',
      'user-agent': this.options.userAgent,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    };
  }

  private async toApiError(request: TransportRequest, response: Response): Promise<DingrelayApiError> {
    const text = (await response.text()).slice(0, MAX_ERROR_BODY_CHARS);
    const body = parseErrorBody(text);
    return apiErrorFor({
      status: response.status,
      code: body?.code ?? `HTTP_${response.status}`,
      message: body?.message ?? `HTTP ${response.status} ${response.statusText}`.trim(),
      requestId: body?.requestId ?? response.headers.get('x-request-id'),
      details: body?.details ?? [],
      retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
      method: request.method,
      path: request.path,
    });
  }

  /** `timedOutAfterMs`: the request's timeout when that is why it ended (a DingrelayTimeoutError). */
  toConnectionError(request: Pick<TransportRequest, 'method' | 'path'>, error: unknown, timedOutAfterMs: number | null): DingrelayConnectionError {
    const url = this.describeUrl(request.path);
    if (timedOutAfterMs !== null) {
      return new DingrelayTimeoutError({
        message: `dingrelay at ${url} could not be reached: no answer within ${timedOutAfterMs} ms`,
        timeoutMs: timedOutAfterMs,
        method: request.method,
        url,
        cause: error,
      });
    }
    const errorCode = systemErrorCode(error);
    const reason = errorCode ?? (error instanceof Error ? error.message : String(error));
    return new DingrelayConnectionError({
      message: `dingrelay at ${url} could not be reached: ${reason}`,
      timedOut: false,
      errorCode,
      method: request.method,
      url,
      cause: error,
    });
  }
}

function parseErrorBody(text: string): { code?: string; message?: string; requestId?: string; details?: ApiErrorDetail[] } | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object') return null;
    const body = parsed as Record<string, unknown>;
    return {
      code: typeof body['code'] === 'string' ? body['code'] : undefined,
      message: typeof body['message'] === 'string' ? body['message'] : undefined,
      requestId: typeof body['requestId'] === 'string' ? body['requestId'] : undefined,
      details: Array.isArray(body['details']) ? (body['details'] as ApiErrorDetail[]) : undefined,
    };
  } catch {
    return null;
  }
}

/** fetch wraps the socket error: `TypeError: fetch failed` with `cause.code` ECONNREFUSED and the like. */
function systemErrorCode(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
