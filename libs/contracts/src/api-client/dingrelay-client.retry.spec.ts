import { apiError, dropConnection, FakeRemote, json } from '../../test/support/fake-remote.js';
import {
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
} from './api-client.errors.js';
import { DingrelayClient } from './dingrelay-client.js';
import type { RetryInfo } from './retry-policy.js';

// Retries, Retry-After, timeouts, aborts and the error classes, against a real HTTP server that answers on cue.
const KEY = 'drk_0123456789ab_secretsecretsecretsecretsecretsecretsecret123';
const SEND = { userIds: ['u1'], msgKey: 'sampleText' as const, msgParam: { content: 'hi' } };
const CREATED = { id: 's1', status: 'accepted', recipients: { accepted: 1, duplicatesRemoved: 0 }, batches: 1, deliveryPolicy: 'at-least-once', statusUrl: '/v1/sends/s1' };
const USAGE = { month: '2026-11', timeZone: 'Asia/Shanghai', configurations: [] };
/** Retries without the waits: the backoff's ceiling is 1 ms. */
const FAST = { baseDelayMs: 1 };

describe('DingrelayClient retries', () => {
  let remote: FakeRemote;
  let client: DingrelayClient;

  beforeAll(async () => {
    remote = await FakeRemote.start();
    client = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: FAST });
  });

  afterAll(async () => {
    await remote.close();
  });

  it('repeats a read after 503, 502, 504, 429 and a dropped connection, until it is answered', async () => {
    const failures = [
      (res: Parameters<typeof json>[0]) => apiError(res, 503, 'SERVICE_UNAVAILABLE'),
      (res: Parameters<typeof json>[0]) => apiError(res, 502, 'HTTP_502'),
      (res: Parameters<typeof json>[0]) => dropConnection(res),
    ];
    remote.reset((_req, res, _body, seen) => (seen.length <= failures.length ? failures[seen.length - 1]!(res) : json(res, 200, USAGE)));
    const retries: RetryInfo[] = [];
    const watched = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: { ...FAST, onRetry: (info) => retries.push(info) } });
    await expect(watched.getUsage({ month: '2026-11' })).resolves.toEqual(USAGE);
    expect(remote.seen).toHaveLength(4);
    expect(retries.map((r) => [r.attempt, r.status, r.error.name])).toEqual([
      [1, 503, 'DingrelayUnavailableError'],
      [2, 502, 'DingrelayUnavailableError'],
      [3, null, 'DingrelayConnectionError'],
    ]);

    remote.reset((_req, res, _body, seen) => (seen.length === 1 ? apiError(res, 504, 'HTTP_504') : seen.length === 2 ? apiError(res, 429, 'TOO_MANY_REQUESTS', { 'retry-after': '0' }) : json(res, 200, USAGE)));
    await expect(client.getUsage()).resolves.toEqual(USAGE);
    expect(remote.seen).toHaveLength(3);
  });

  it('gives up after `retries` and throws the last error, typed', async () => {
    remote.reset((_req, res) => apiError(res, 503, 'SERVICE_UNAVAILABLE'));
    const error = await new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: { ...FAST, retries: 2 } }).getSend('s1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayUnavailableError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', requestId: 'req-503' });
    expect(remote.seen).toHaveLength(3);
  });

  it('waits what Retry-After says, in seconds or as an HTTP date', async () => {
    remote.reset((_req, res, _body, seen) => (seen.length === 1 ? apiError(res, 503, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' }) : json(res, 200, USAGE)));
    const delays: number[] = [];
    const watched = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: { onRetry: (i) => delays.push(i.delayMs) } });
    let started = Date.now();
    await watched.getUsage();
    expect(delays).toEqual([1000]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    // An HTTP date has whole seconds: "in 2 s" lands between 1 and 2 s from now.
    remote.reset((_req, res, _body, seen) =>
      seen.length === 1 ? apiError(res, 429, 'TOO_MANY_REQUESTS', { 'retry-after': new Date(Date.now() + 2000).toUTCString() }) : json(res, 200, USAGE),
    );
    delays.length = 0;
    started = Date.now();
    await watched.getUsage();
    expect(delays[0]).toBeGreaterThan(0);
    expect(delays[0]).toBeLessThanOrEqual(2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(delays[0]! - 50);
    expect(remote.seen).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than maxDelayMs: the 429 is thrown at once with retryAfterMs', async () => {
    remote.reset((_req, res) => apiError(res, 429, 'TOO_MANY_REQUESTS', { 'retry-after': '120' }));
    const started = Date.now();
    const error = await new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: { maxDelayMs: 1_000 } }).getUsage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayRateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000, retryAfterSeconds: 120 });
    expect(remote.seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('backs off with full jitter under maxDelayMs when the answer says nothing', async () => {
    remote.reset((_req, res) => apiError(res, 503, 'SERVICE_UNAVAILABLE'));
    const delays: number[] = [];
    const watched = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: { retries: 4, baseDelayMs: 20, maxDelayMs: 50, onRetry: (i) => delays.push(i.delayMs) } });
    await expect(watched.getUsage()).rejects.toBeInstanceOf(DingrelayUnavailableError);
    // Ceilings 20, 40, then capped at 50: each wait is somewhere below its ceiling.
    expect(delays).toHaveLength(4);
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan([20, 40, 50, 50][i]!);
    });
  });

  it('createSend sends an Idempotency-Key it generated, the same one on every attempt, when the first answer was lost', async () => {
    remote.reset((_req, res, _body, seen) => (seen.length === 1 ? dropConnection(res) : json(res, 202, CREATED, { 'idempotent-replayed': 'true' })));
    const created = await client.createSend(SEND);
    expect(remote.seen).toHaveLength(2);
    const keys = remote.seen.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(remote.seen[1]!.body).toBe(remote.seen[0]!.body);
    expect(created).toMatchObject({ id: 's1', replayed: true, idempotencyKey: keys[0] });

    // Another call, another key; the caller's own key is used as given.
    remote.reset((_req, res) => json(res, 202, CREATED));
    await client.createSend(SEND);
    await client.createSend(SEND, { idempotencyKey: 'order-42' });
    expect(remote.seen[0]!.headers['idempotency-key']).not.toBe(keys[0]);
    expect(remote.seen[1]!.headers['idempotency-key']).toBe('order-42');
  });

  it('does not repeat other writes unless the call opts in', async () => {
    remote.reset((_req, res, _body, seen) => (seen.length === 1 ? apiError(res, 503, 'SERVICE_UNAVAILABLE') : json(res, 200, { id: 'k1' })));
    await expect(client.createApiKey({ name: 'x', role: 'auditor' })).rejects.toBeInstanceOf(DingrelayUnavailableError);
    await expect(client.recallSend('s1')).resolves.toEqual({ id: 'k1' });
    expect(remote.seen.map((r) => r.url)).toEqual(['/v1/api-keys', '/v1/sends/s1/recall']);

    remote.reset((_req, res, _body, seen) => (seen.length === 1 ? dropConnection(res) : json(res, 202, { id: 's1' })));
    await expect(client.recallSend('s1', { retry: true })).resolves.toEqual({ id: 's1' });
    expect(remote.seen).toHaveLength(2);

    // And a read can opt out.
    remote.reset((_req, res) => apiError(res, 503, 'SERVICE_UNAVAILABLE'));
    await expect(client.getSend('s1', { retry: false })).rejects.toBeInstanceOf(DingrelayUnavailableError);
    expect(remote.seen).toHaveLength(1);
  });

  it('retry: false on the client turns every retry off, createSend included', async () => {
    remote.reset((_req, res) => dropConnection(res));
    const once = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: false });
    await expect(once.createSend(SEND)).rejects.toBeInstanceOf(DingrelayConnectionError);
    await expect(once.getUsage()).rejects.toBeInstanceOf(DingrelayConnectionError);
    expect(remote.seen).toHaveLength(2);
  });
});

describe('DingrelayClient timeouts and aborts', () => {
  let remote: FakeRemote;

  beforeAll(async () => {
    remote = await FakeRemote.start();
  });

  afterAll(async () => {
    await remote.close();
  });

  it('times a silent server out per attempt (client default or per call), retries a read, then throws DingrelayTimeoutError', async () => {
    remote.reset(() => undefined); // never answers
    const client = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, timeoutMs: 10_000, retry: { ...FAST, retries: 1 } });
    const started = Date.now();
    const error = await client.getSend('s1', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayTimeoutError);
    expect(error).toBeInstanceOf(DingrelayConnectionError);
    expect(error).toMatchObject({ timedOut: true, timeoutMs: 150, method: 'GET', url: `${remote.url}/v1/sends/s1` });
    expect(remote.seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('abandons a request in flight when the signal fires: DingrelayAbortError with the reason, not retried', async () => {
    remote.reset(() => undefined);
    const client = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: FAST });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left the page')), 100);
    const started = Date.now();
    const error = await client.getUsage({}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayAbortError);
    expect(error).toBeInstanceOf(DingrelayError);
    expect(error).not.toBeInstanceOf(DingrelayConnectionError);
    expect((error as DingrelayAbortError).reason).toEqual(new Error('user left the page'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(remote.seen).toHaveLength(1);

    // Already aborted: nothing is sent.
    remote.seen.length = 0;
    await expect(client.getUsage({}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DingrelayAbortError);
    expect(remote.seen).toHaveLength(0);
  });

  it('abandons the wait before a retry when the signal fires', async () => {
    remote.reset((_req, res) => apiError(res, 503, 'SERVICE_UNAVAILABLE', { 'retry-after': '10' }));
    const client = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY });
    const started = Date.now();
    const error = await client.getUsage({}, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayAbortError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(remote.seen).toHaveLength(1);
  });

  it('cuts a streamed export when the signal fires after its headers arrived', async () => {
    remote.reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"id":"a"}\n');
    });
    const controller = new AbortController();
    const client = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY });
    const rows: unknown[] = [];
    const error = await (async () => {
      for await (const row of client.exportSendRows({}, { signal: controller.signal })) {
        rows.push(row);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(rows).toEqual([{ id: 'a' }]);
    expect(error).toBeInstanceOf(DingrelayAbortError);
  });
});

describe('DingrelayApiError subclasses', () => {
  let remote: FakeRemote;

  beforeAll(async () => {
    remote = await FakeRemote.start();
  });

  afterAll(async () => {
    await remote.close();
  });

  it.each([
    [400, 'VALIDATION_FAILED', DingrelayValidationError],
    [422, 'HTTP_422', DingrelayValidationError],
    [401, 'UNAUTHORIZED', DingrelayAuthenticationError],
    [403, 'FORBIDDEN', DingrelayPermissionError],
    [404, 'NOT_FOUND', DingrelayNotFoundError],
    [409, 'CONFLICT', DingrelayConflictError],
    [429, 'TOO_MANY_REQUESTS', DingrelayRateLimitError],
    [502, 'HTTP_502', DingrelayUnavailableError],
    [503, 'DINGTALK_UNAVAILABLE', DingrelayUnavailableError],
    [504, 'HTTP_504', DingrelayUnavailableError],
    [410, 'GONE', DingrelayApiError],
    [500, 'INTERNAL_ERROR', DingrelayApiError],
  ])('%i is thrown as its category, still a DingrelayApiError, with the body and request id', async (status, code, type) => {
    remote.reset((_req, res) => apiError(res, status, code, { 'retry-after': '3' }, [{ field: 'userIds.0', message: 'too long' }]));
    const client = new DingrelayClient({ baseUrl: remote.url, apiKey: KEY, retry: false });
    const error = await client.getSend('s1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(DingrelayApiError);
    expect(error).toBeInstanceOf(DingrelayError);
    expect((error as Error).name).toBe(type.name);
    expect(error).toMatchObject({
      status,
      code,
      message: `${code} (test)`,
      details: [{ field: 'userIds.0', message: 'too long' }],
      requestId: `req-${status}`,
      retryAfterMs: 3000,
      method: 'GET',
      path: '/v1/sends/s1',
    });
  });
});

describe('listings', () => {
  let remote: FakeRemote;

  beforeAll(async () => {
    remote = await FakeRemote.start();
    remote.handler = (req, res) => {
      const token = new URL(req.url ?? '', 'http://x').searchParams.get('nextToken');
      const pages: Record<string, unknown> = {
        first: { items: [{ id: 'a' }, { id: 'b' }], nextToken: 't2' },
        t2: { items: [], nextToken: 't3' },
        t3: { items: [{ id: 'c' }], nextToken: null },
      };
      json(res, 200, pages[token ?? 'first']);
    };
  });

  afterAll(async () => {
    await remote.close();
  });

  beforeEach(() => {
    remote.seen.length = 0;
  });

  const client = () => new DingrelayClient({ baseUrl: remote.url, apiKey: KEY });

  it('awaited, are the first page; nothing is asked before', async () => {
    const listing = client().listSends({ status: 'completed', maxResults: 2 });
    expect(remote.seen).toHaveLength(0);
    expect(await listing).toEqual({ items: [{ id: 'a' }, { id: 'b' }], nextToken: 't2' });
    expect(remote.seen.map((r) => r.url)).toEqual(['/v1/sends?status=completed&maxResults=2']);
  });

  it('iterated, walk every item of every page with the same filters, reusing a first page already read', async () => {
    const listing = client().listSends({ status: 'completed', maxResults: 2 });
    await listing;
    const ids: string[] = [];
    for await (const send of listing) ids.push(send.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(remote.seen.map((r) => r.url)).toEqual([
      '/v1/sends?status=completed&maxResults=2',
      '/v1/sends?status=completed&maxResults=2&nextToken=t2',
      '/v1/sends?status=completed&maxResults=2&nextToken=t3',
    ]);
  });

  it('.pages() yields each page, starting where the caller\'s nextToken says', async () => {
    const tokens: (string | null)[] = [];
    for await (const page of client().listAuditEvents({ nextToken: 't2' }).pages()) tokens.push(page.nextToken);
    expect(tokens).toEqual(['t3', null]);
    expect(remote.seen.map((r) => r.url)).toEqual(['/v1/audit-events?nextToken=t2', '/v1/audit-events?nextToken=t3']);
  });

  it('ask for a first page that failed again when awaited again', async () => {
    const flaky = await FakeRemote.start();
    try {
      flaky.reset((_req, res, _body, seen) => (seen.length === 1 ? apiError(res, 500, 'INTERNAL_ERROR') : json(res, 200, { items: [{ id: 'a' }], nextToken: null })));
      const listing = new DingrelayClient({ baseUrl: flaky.url, apiKey: KEY }).listSends();
      await expect(listing).rejects.toMatchObject({ status: 500 });
      await expect(listing).resolves.toEqual({ items: [{ id: 'a' }], nextToken: null });
      expect(flaky.seen).toHaveLength(2);
    } finally {
      await flaky.close();
    }
  });

  it('stop at the signal between pages', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of client().listSends({}, { signal: controller.signal })) {
        seen.push(item.id);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayAbortError);
    expect(seen).toEqual(['a', 'b']);
    expect(remote.seen).toHaveLength(1);
  });
});
