import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { FakeRemote } from '../../test/support/fake-remote.js';
import { DingrelayApiError, DingrelayConnectionError, DingrelayValidationError } from './api-client.errors.js';
import { DingrelayClient } from './dingrelay-client.js';
import { writeExportToFile } from './write-export-to-file.js';

// A stand-in HTTP server speaking the API's wire format, for what a running dingrelay cannot be made to do on cue
// (Retry-After, a cut transfer, silence). test/dingrelay-client.e2e.spec.ts drives this client against the real API.
const KEY = 'drk_0123456789ab_secretsecretsecretsecretsecretsecretsecret123';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('DingrelayClient (wire behaviour)', () => {
  let remote: FakeRemote;
  let baseUrl: string;
  let seen: FakeRemote['seen'];
  let handler: Handler;

  beforeAll(async () => {
    remote = await FakeRemote.start();
    remote.handler = (req, res, body) => handler(req, res, body);
    baseUrl = remote.url;
    seen = remote.seen;
  });

  afterAll(async () => {
    await remote.close();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  it('sends the key as a Bearer token, the Idempotency-Key header and the body; reports a replay', async () => {
    handler = (_req, res) => json(res, 202, { id: 's1', status: 'accepted' }, { 'idempotent-replayed': 'true' });
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    const created = await client.createSend(
      { userIds: ['u1'], msgKey: 'sampleText', msgParam: { content: 'hi' } },
      { idempotencyKey: 'order-42' },
    );
    expect(created).toMatchObject({ id: 's1', replayed: true });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/sends' });
    expect(seen[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.headers['idempotency-key']).toBe('order-42');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body)).toEqual({ userIds: ['u1'], msgKey: 'sampleText', msgParam: { content: 'hi' } });
  });

  it('puts filters in the query string, leaving out absent ones, and encodes path segments', async () => {
    handler = (_req, res) => json(res, 200, { items: [], nextToken: null });
    const client = new DingrelayClient({ baseUrl: `${baseUrl}/`, apiKey: KEY });
    await client.listSends({ status: 'completed', chatConfiguration: undefined, maxResults: 5 });
    await client.listSendRecipients('a/b', { status: 'invalid' });
    expect(seen.map((s) => s.url)).toEqual(['/v1/sends?status=completed&maxResults=5', '/v1/sends/a%2Fb/recipients?status=invalid']);
  });

  it('asks for its own key at /v1/api-keys/current, not as an id', async () => {
    handler = (_req, res) => json(res, 200, { id: 'k1', role: 'sender', chatConfigurations: ['ops'] });
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    expect(await client.getCurrentApiKey()).toMatchObject({ role: 'sender', chatConfigurations: ['ops'] });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/api-keys/current']);
  });

  it('asks for send statistics with the range, interval and zone in the query string', async () => {
    handler = (_req, res) => json(res, 200, { buckets: [], sends: { total: 0 } });
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    await client.getSendStats({ createdFrom: '2026-11-01T00:00:00+08:00', createdTo: '2026-11-08T00:00:00+08:00', interval: 'day', timeZone: 'Asia/Shanghai' });
    expect(seen.map((s) => s.url)).toEqual([
      '/v1/stats/sends?createdFrom=2026-11-01T00%3A00%3A00%2B08%3A00&createdTo=2026-11-08T00%3A00%3A00%2B08%3A00&interval=day&timeZone=Asia%2FShanghai',
    ]);
  });

  it("turns dingrelay's error body into DingrelayApiError, without the key anywhere", async () => {
    handler = (_req, res) =>
      json(res, 400, {
        status: 400,
        code: 'VALIDATION_FAILED',
        message: 'Invalid request',
        details: [{ field: 'userIds', message: 'userIds must not be empty' }],
        requestId: 'req-1',
      });
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    const error = await client.listSends().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayValidationError);
    expect(error).toBeInstanceOf(DingrelayApiError);
    expect((error as DingrelayApiError).toJSON()).toEqual({
      name: 'DingrelayValidationError',
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Invalid request',
      details: [{ field: 'userIds', message: 'userIds must not be empty' }],
      requestId: 'req-1',
      retryAfterSeconds: null,
      retryAfterMs: null,
      method: 'GET',
      path: '/v1/sends',
    });
    for (const text of [JSON.stringify(error), inspect(error, { depth: 10 }), inspect(client, { depth: 10 }), JSON.stringify(client)]) {
      expect(text).not.toContain('secretsecret');
    }
  });

  it('names a non-dingrelay error body by its status', async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    };
    const error = await new DingrelayClient({ baseUrl, apiKey: KEY, retry: false }).getSend('x').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DingrelayUnavailableError', status: 502, code: 'HTTP_502' });
  });

  it('reports a server that does not answer in time as a timed-out DingrelayConnectionError', async () => {
    handler = () => undefined; // never answers
    const error = await new DingrelayClient({ baseUrl, apiKey: KEY, timeoutMs: 200, retry: false }).listApiKeys().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayConnectionError);
    expect(error).toMatchObject({ timedOut: true, method: 'GET', url: `${baseUrl}/v1/api-keys` });
  });

  it('reports a refused connection with its system code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await new DingrelayClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, retry: false }).listSends().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingrelayConnectionError);
    expect(error).toMatchObject({ timedOut: false, errorCode: 'ECONNREFUSED' });
    expect(JSON.stringify(error)).not.toContain('secretsecret');
  });

  it('parses NDJSON rows, and fails on a transfer cut mid-line instead of ending quietly', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"id":"a"}\n{"id":"b"}\n');
      res.end();
    };
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    const rows: unknown[] = [];
    for await (const row of client.exportSendRows({ status: 'completed' })) rows.push(row);
    expect(rows).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(seen[0]!.url).toBe('/v1/exports/sends?status=completed&format=ndjson');

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"id":"a"}\n{"id":');
      setTimeout(() => res.destroy(), 20);
    };
    const cut: unknown[] = [];
    const error = await (async () => {
      for await (const row of client.exportSendRows()) cut.push(row);
    })().catch((e: unknown) => e);
    expect(cut).toEqual([{ id: 'a' }]);
    expect(error).toBeInstanceOf(DingrelayConnectionError);
  });

  it('writes a CSV export to its file only once the whole transfer arrived', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dingrelay-client-'));
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="sends-x.csv"' });
      res.end('id,status\r\na,completed\r\n');
    };
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    const download = await client.exportSends({}, 'csv');
    expect(download.filename).toBe('sends-x.csv');
    const progress: number[] = [];
    await expect(writeExportToFile(download, join(dir, 'ok.csv'), { onProgress: (b) => progress.push(b) })).resolves.toEqual({ bytes: 24 });
    expect(readFileSync(join(dir, 'ok.csv'), 'utf8')).toBe('id,status\r\na,completed\r\n');
    expect(progress.at(-1)).toBe(24);

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('id,status\r\na,comp');
      setTimeout(() => res.destroy(), 20);
    };
    await expect(writeExportToFile(await client.exportSends(), join(dir, 'cut.csv'))).rejects.toBeInstanceOf(DingrelayConnectionError);
    expect(existsSync(join(dir, 'cut.csv'))).toBe(false);
    expect(existsSync(join(dir, 'cut.csv.partial'))).toBe(false);
  });

  it("takes the export's format as before, or options with a byte order mark for CSV", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('\uFEFFid\r\n');
    };
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    await client.exportSends({ status: 'completed' });
    await client.exportSends({}, 'ndjson');
    await client.exportSends({}, { bom: true });
    await client.exportRecipients({ userId: 'u 1' }, { format: 'csv', bom: true });
    await client.exportRecipients({}, { format: 'ndjson' });
    await client.exportRecipients({}, { bom: false });
    expect(seen.map((r) => r.url)).toEqual([
      '/v1/exports/sends?status=completed&format=csv',
      '/v1/exports/sends?format=ndjson',
      '/v1/exports/sends?format=csv&bom=true',
      '/v1/exports/recipients?userId=u+1&format=csv&bom=true',
      '/v1/exports/recipients?format=ndjson',
      '/v1/exports/recipients?format=csv',
    ]);
    // The types keep a byte order mark to CSV, and a link's filters to its export's.
    // @ts-expect-error NDJSON takes no byte order mark
    expect(() => client.exportSends({}, { format: 'ndjson', bom: true })).toBeDefined();
    // @ts-expect-error userId is a recipients filter
    expect(() => client.createExportLink({ export: 'sends', filters: { userId: 'u1' } })).toBeDefined();
    const bytes: number[] = [];
    for await (const chunk of (await client.exportSends({}, { bom: true })).body) bytes.push(...chunk);
    expect(bytes.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('creates an export link and answers it as an absolute URL on baseUrl, path prefix kept', async () => {
    handler = (_req, res) => json(res, 201, { url: '/v1/exports/downloads/tok_-123', expiresAt: '2026-12-07T10:00:00.000Z' });
    const prefixed = new DingrelayClient({ baseUrl: `${baseUrl}/relay/`, apiKey: KEY });
    const link = await prefixed.createExportLink({ export: 'recipients', bom: true, filters: { userId: 'u1', status: 'failed' } });
    expect(link).toEqual({ url: `${baseUrl}/relay/v1/exports/downloads/tok_-123`, expiresAt: '2026-12-07T10:00:00.000Z' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/relay/v1/exports/links' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ export: 'recipients', bom: true, filters: { userId: 'u1', status: 'failed' } });
    expect(link.url).not.toContain(KEY.slice(4));
  });

  it('follows nextToken through every page', async () => {
    handler = (req, res) => {
      const token = new URL(req.url ?? '', 'http://x').searchParams.get('nextToken');
      json(res, 200, token === null ? { items: [1, 2], nextToken: 't2' } : token === 't2' ? { items: [3], nextToken: 't3' } : { items: [], nextToken: null });
    };
    const client = new DingrelayClient({ baseUrl, apiKey: KEY });
    const items: unknown[] = [];
    for await (const item of client.listApiKeys()) items.push(item);
    expect(items).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.url)).toEqual(['/v1/api-keys', '/v1/api-keys?nextToken=t2', '/v1/api-keys?nextToken=t3']);
  });

  it('refuses to be built without a key or with a non-http URL', () => {
    expect(() => new DingrelayClient({ baseUrl, apiKey: '' })).toThrow(/apiKey is required/);
    expect(() => new DingrelayClient({ baseUrl: 'ftp://x', apiKey: KEY })).toThrow(/http\(s\)/);
    expect(() => new DingrelayClient({ baseUrl: 'nope', apiKey: KEY })).toThrow(/absolute/);
  });
});
