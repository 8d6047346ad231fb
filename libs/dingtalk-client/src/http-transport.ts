import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { DingTalkApiError, type DingTalkApi, DingTalkTransportError, TransportFailure } from './dingtalk-api.error.js';
import { IP_BLOCKED_CODE } from './retry-class.js';

export interface HttpTransportOptions {
  baseUrl: string;
  /** Deadline for one call: waiting for a pooled socket, connecting, sending and reading the whole answer. */
  timeoutMs: number;
  /** Upper bound of concurrent connections to DingTalk from this process; further calls queue for a socket. */
  maxSockets: number;
  /**
   * Idle keep-alive sockets are closed after this long. Kept below typical server idle timeouts so that we, not the
   * server, close idle sockets: a request written onto a socket the server is closing fails as an ambiguous reset.
   */
  idleSocketTimeoutMs: number;
  userAgent: string;
  maxResponseBytes: number;
}

export interface TransportRequest {
  api: DingTalkApi;
  method: 'GET' | 'POST';
  path: string;
  query?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
  /** Whether replaying the call is harmless; decides the retry class of a transport failure after sending. */
  idempotent: boolean;
  /** Overrides the transport's deadline for this call. */
  timeoutMs?: number;
  /** Abandons the call (e.g. on shutdown); the error says whether the request had already been sent. */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  body: unknown;
  headers: IncomingHttpHeaders;
  requestId: string | undefined;
}

/** Counters that make connection reuse observable (and testable) without reaching into the agent. */
export interface ConnectionStats {
  requests: number;
  socketsOpened: number;
  reusedSocketRequests: number;
}

const MAX_MESSAGE_CHARS = 500;

/**
 * One keep-alive connection pool to one DingTalk base URL, speaking DingTalk's JSON envelope. It turns every
 * non-2xx answer into a DingTalkApiError and every failure below HTTP into a DingTalkTransportError that says
 * whether the request had been sent.
 */
export class HttpTransport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  private readonly seenSockets = new WeakSet<Socket>();
  private readonly counters: ConnectionStats = { requests: 0, socketsOpened: 0, reusedSocketRequests: 0 };
  private closed = false;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = new URL(options.baseUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new TypeError(`DingTalk baseUrl must be http(s), got ${this.base.protocol}`);
    }
    this.secure = this.base.protocol === 'https:';
    const agentOptions: http.AgentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      // Reuse the most recently used socket so the rest of the pool can go idle and be closed by us.
      scheduling: 'lifo',
      timeout: options.idleSocketTimeoutMs,
    };
    this.agent = this.secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  stats(): ConnectionStats {
    return { ...this.counters };
  }

  /** Closes pooled sockets. Calls still in flight fail with a connection-lost error (ambiguous if already sent). */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    if (this.closed) return Promise.reject(new Error('DingTalkClient is closed'));
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs;
    const url = new URL(this.base.pathname.replace(/\/+$/, '') + req.path, this.base);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent,
      ...req.headers,
    };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    this.counters.requests++;

    return new Promise<TransportResponse>((resolve, reject) => {
      let connected = false;
      let sent = false;
      let settled = false;
      const mod = this.secure ? https : http;
      const clientReq = mod.request(url, { method: req.method, headers, agent: this.agent });

      const transportError = (failure: TransportFailure, detail: string, cause?: unknown, httpStatus?: number) =>
        new DingTalkTransportError({
          api: req.api,
          failure,
          // An answer that arrived (even a broken one) proves the request was received.
          requestSent: sent || httpStatus !== undefined,
          idempotent: req.idempotent,
          detail,
          cause,
          httpStatus,
        });
      const settle = (outcome: { ok: TransportResponse } | { error: Error }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        if ('ok' in outcome) resolve(outcome.ok);
        else reject(outcome.error);
      };

      const timer = setTimeout(() => {
        const where = !connected ? 'before a connection was available' : !sent ? 'while sending' : 'waiting for the answer';
        settle({ error: transportError(TransportFailure.Timeout, `no answer within ${timeoutMs} ms (${where})`) });
        clientReq.destroy();
      }, timeoutMs);

      const onAbort = () => {
        settle({ error: transportError(TransportFailure.Aborted, 'aborted by the caller', req.signal?.reason) });
        clientReq.destroy();
      };
      if (req.signal?.aborted) onAbort();
      else req.signal?.addEventListener('abort', onAbort, { once: true });

      clientReq.on('socket', (socket: Socket) => {
        if (!this.seenSockets.has(socket)) {
          this.seenSockets.add(socket);
          this.counters.socketsOpened++;
        } else {
          this.counters.reusedSocketRequests++;
        }
        if (socket.connecting) socket.once('connect', () => (connected = true));
        else connected = true;
      });
      // 'finish' fires once the whole request is handed to the OS: from here DingTalk may act on it.
      clientReq.on('finish', () => (sent = true));
      clientReq.on('error', (err: NodeJS.ErrnoException) => {
        const failure = connected ? TransportFailure.ConnectionLost : TransportFailure.Connect;
        settle({ error: transportError(failure, describeSocketError(err), err) });
      });
      clientReq.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.options.maxResponseBytes) {
            settle({
              error: transportError(TransportFailure.InvalidResponse, `answer larger than ${this.options.maxResponseBytes} bytes`, undefined, res.statusCode),
            });
            clientReq.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => {
          settle({ error: transportError(TransportFailure.ConnectionLost, describeSocketError(err), err, res.statusCode) });
        });
        res.on('close', () => {
          if (!res.complete) {
            settle({ error: transportError(TransportFailure.ConnectionLost, 'connection closed mid-answer', undefined, res.statusCode) });
          }
        });
        res.on('end', () => {
          try {
            settle({ ok: interpret(req, res, Buffer.concat(chunks).toString('utf8')) });
          } catch (e) {
            settle({ error: e as Error });
          }
        });
      });

      if (!settled) clientReq.end(payload);
    });
  }
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  return err.code ? `${err.code} ${err.message}` : err.message;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function interpret(req: TransportRequest, res: IncomingMessage, text: string): TransportResponse {
  const status = res.statusCode ?? 0;
  const headerRequestId = headerValue(res.headers, 'x-acs-request-id');
  let json: unknown;
  let parsed = false;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
      parsed = true;
    } catch {
      // Not JSON: decided below from status and content type.
    }
  }
  const contentType = headerValue(res.headers, 'content-type') ?? '';
  const html = !parsed && (contentType.includes('text/html') || /^\s*</.test(text));
  // The per-IP flood guard answers outside DingTalk's envelope (§8.1), possibly even with a 2xx status. An HTML
  // page with a 5xx is left to the 5xx rules: that is far more often a proxy in trouble than a block.
  const blockJson = isObject(json) && (json['status'] === 1111 || 'punish' in json);
  if (blockJson || (html && status < 500)) {
    const wait = blockJson && typeof (json as Record<string, unknown>)['wait'] === 'number' ? ` (wait ${String((json as Record<string, unknown>)['wait'])})` : '';
    throw new DingTalkApiError({
      api: req.api,
      httpStatus: status,
      code: IP_BLOCKED_CODE,
      dingTalkMessage: `DingTalk blocked this IP${wait}`,
      requestId: headerRequestId,
      idempotent: req.idempotent,
    });
  }
  if (status >= 200 && status < 300) {
    if (!parsed) {
      throw new DingTalkTransportError({
        api: req.api,
        failure: TransportFailure.InvalidResponse,
        requestSent: true,
        idempotent: req.idempotent,
        detail: `HTTP ${status} answer is not JSON`,
        httpStatus: status,
        requestId: headerRequestId,
      });
    }
    return { status, body: json, headers: res.headers, requestId: headerRequestId };
  }
  const body = isObject(json) ? json : {};
  const message = str(body['message']);
  throw new DingTalkApiError({
    api: req.api,
    httpStatus: status,
    code: str(body['code']),
    dingTalkMessage: message && message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message,
    requestId: str(body['requestid']) ?? str(body['requestId']) ?? headerRequestId,
    idempotent: req.idempotent,
  });
}
