import type { ApiErrorDetail } from '../errors/api-error.js';
import { DingrelayApiError, DingrelayConnectionError } from './api-client.errors.js';
import { toQueryString } from './query-string.js';
import { NO_RETRY, parseRetryAfter, type RetryOptions, retryDelayMs } from './retry-policy.js';

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
  userAgent: string;
  retry: RetryOptions;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starts with `/`; path segments already encoded. */
  path: string;
  query?: object;
  body?: unknown;
  headers?: Record<string, string>;
  /** Repeating it cannot do the work twice (retried after a 503 too); default: every method but POST. */
  replaySafe?: boolean;
}

export interface JsonResult<T> {
  body: T;
  status: number;
  headers: Headers;
}

/** Longest error body read: dingrelay's are small; anything bigger is not dingrelay's and only quoted in part. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

/**
 * One HTTP exchange with dingrelay: the key as a Bearer token, JSON in and out, a timeout, retries on 429/503 when
 * enabled, and dingrelay's error JSON turned into DingrelayApiError. The key lives in a private field only, so it is
 * in no error, no `toJSON` and no `console.log` of the client.
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
    return this.exchange(request, async (response, finish, aborted) => {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw this.toConnectionError(request, error, aborted());
      } finally {
        finish();
      }
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

  /** A successful response whose body is left unread (exports). The timeout covers the wait for its headers only. */
  async stream(request: TransportRequest): Promise<Response> {
    return this.exchange(request, async (response, finish) => {
      finish();
      return response;
    });
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

  private async exchange<R>(
    request: TransportRequest,
    onSuccess: (response: Response, finish: () => void, aborted: () => boolean) => Promise<R>,
  ): Promise<R> {
    const retry = this.options.retry ?? NO_RETRY;
    for (let attempt = 1; ; attempt++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
      const finish = () => clearTimeout(timer);
      const aborted = () => controller.signal.aborted;
      let error: DingrelayApiError;
      try {
        const response = await this.options.fetch(this.baseUrl + request.path + toQueryString(request.query), {
          method: request.method,
          headers: this.headers(request),
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: controller.signal,
        });
        if (response.ok) return await onSuccess(response, finish, aborted);
        error = await this.toApiError(request, response);
      } catch (failure) {
        if (failure instanceof DingrelayApiError || failure instanceof DingrelayConnectionError) throw failure;
        throw this.toConnectionError(request, failure, aborted());
      } finally {
        finish();
      }
      const delayMs = retryDelayMs(retry, attempt, error.status, error.retryAfterSeconds, request.replaySafe ?? request.method !== 'POST');
      if (delayMs === null) throw error;
      retry.onRetry?.({ attempt, status: error.status, delayMs, method: request.method, path: request.path });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
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
    return new DingrelayApiError({
      status: response.status,
      code: body?.code ?? `HTTP_${response.status}`,
      message: body?.message ?? `HTTP ${response.status} ${response.statusText}`.trim(),
      requestId: body?.requestId ?? response.headers.get('x-request-id'),
      details: body?.details ?? [],
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      method: request.method,
      path: request.path,
    });
  }

  toConnectionError(request: Pick<TransportRequest, 'method' | 'path'>, error: unknown, timedOut: boolean): DingrelayConnectionError {
    const url = this.describeUrl(request.path);
    const errorCode = systemErrorCode(error);
    const reason = timedOut
      ? `no answer within ${this.options.timeoutMs} ms`
      : errorCode ?? (error instanceof Error ? error.message : String(error));
    return new DingrelayConnectionError({
      message: `dingrelay at ${url} could not be reached: ${reason}`,
      timedOut,
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
