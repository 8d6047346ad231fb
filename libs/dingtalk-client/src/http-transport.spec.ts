/**
 * Network conditions the simulator cannot produce on purpose: nobody listening, a peer that accepts and never
 * answers, a peer that resets, and the edge in front of DingTalk (flood-guard block pages, a proxy's 502 page).
 * These are small raw servers, not stand-ins for our own code.
 */
import http from 'node:http';
import net from 'node:net';
import { InMemoryAccessTokenStore } from './access-token.store.js';
import { DingTalkApiError, DingTalkTransportError, TransportFailure } from './dingtalk-api.error.js';
import { DingTalkClient } from './dingtalk.client.js';
import { IP_BLOCKED_CODE, RetryClass } from './retry-class.js';
import { caught, unusedPort } from '../test/support/spec-helpers.js';

const APP = { appKey: 'raw-app', appSecret: 'raw-secret-do-not-leak' };
const TOKEN = 'seeded-token-do-not-leak';
const SEND = { robotCode: 'robot', userIds: ['user-1'], msgKey: 'sampleText', msgParam: { content: 'hi' } };

interface RawServer {
  url: string;
  close(): Promise<void>;
}

/** Accepts connections, reads everything, never writes a byte. */
async function silentServer(): Promise<RawServer & { received: () => string }> {
  const sockets = new Set<net.Socket>();
  let received = '';
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => (received += d.toString('utf8')));
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Resets the connection as soon as a request arrives. */
async function resettingServer(): Promise<RawServer> {
  const server = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Answers every request with a fixed status, content type and body. */
async function fixedServer(status: number, contentType: string, body: string): Promise<RawServer> {
  const server = http.createServer((_req, res) => {
    _req.resume();
    res.writeHead(status, { 'content-type': contentType }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A client whose token cache already holds a token, so the call under test is the only request. */
async function clientWithToken(baseUrl: string, extra: { timeoutMs?: number; maxSockets?: number } = {}) {
  const tokenStore = new InMemoryAccessTokenStore();
  await tokenStore.set(APP.appKey, { accessToken: TOKEN, expiresAt: Date.now() + 3_600_000, refreshAt: Date.now() + 3_000_000 });
  return new DingTalkClient({ baseUrl, tokenStore, ...extra });
}

function expectNoSecrets(e: unknown): void {
  const surfaces = [JSON.stringify(e), String(e), (e as Error).message, JSON.stringify(Object.entries(e as object))];
  for (const s of surfaces) {
    expect(s).not.toContain(APP.appSecret);
    expect(s).not.toContain(TOKEN);
  }
}

describe('transport failures', () => {
  it('a batchSend that times out after being sent is ambiguous', async () => {
    const server = await silentServer();
    const client = await clientWithToken(server.url, { timeoutMs: 300 });
    try {
      const started = Date.now();
      const e = await caught(client.batchSendOTO(APP, SEND));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(e).toBeInstanceOf(DingTalkTransportError);
      expect(e).toMatchObject({
        api: 'robot.batchSendOTO',
        failure: TransportFailure.Timeout,
        requestSent: true,
        ambiguous: true,
        retryClass: RetryClass.Ambiguous,
      });
      // The request really reached the peer: that is what makes the outcome unknowable.
      expect(server.received()).toContain('POST /v1.0/robot/oToMessages/batchSend');
      expectNoSecrets(e);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('an idempotent call that times out is merely transient', async () => {
    const server = await silentServer();
    const client = await clientWithToken(server.url, { timeoutMs: 200 });
    try {
      const e = await caught(client.readStatus(APP, { robotCode: 'robot', processQueryKey: 'k' }));
      expect(e).toMatchObject({ failure: TransportFailure.Timeout, ambiguous: true, retryClass: RetryClass.Transient });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a call that timed out while waiting for a pooled socket was never sent', async () => {
    const server = await silentServer();
    const client = await clientWithToken(server.url, { timeoutMs: 2_000, maxSockets: 1 });
    try {
      // The first call occupies the only socket; the second queues behind it and gives up first.
      const first = caught(client.batchSendOTO(APP, SEND));
      const second = await caught(client.batchSendOTO(APP, SEND, { timeoutMs: 200 }));
      expect(second).toMatchObject({
        failure: TransportFailure.Timeout,
        requestSent: false,
        ambiguous: false,
        retryClass: RetryClass.Transient,
      });
      expect(await first).toMatchObject({ requestSent: true, retryClass: RetryClass.Ambiguous });
      expect(client.connectionStats().socketsOpened).toBe(1);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('an aborted call says whether it had been sent', async () => {
    const server = await silentServer();
    const client = await clientWithToken(server.url, { timeoutMs: 5_000 });
    try {
      const controller = new AbortController();
      const pending = caught(client.batchSendOTO(APP, SEND, { signal: controller.signal }));
      await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      expect(await pending).toMatchObject({ failure: TransportFailure.Aborted, requestSent: true, retryClass: RetryClass.Ambiguous });
      const before = await caught(client.batchSendOTO(APP, SEND, { signal: AbortSignal.abort() }));
      expect(before).toMatchObject({ failure: TransportFailure.Aborted, requestSent: false, retryClass: RetryClass.Transient });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('connection refused is a clean, retryable failure: nothing was sent', async () => {
    const client = new DingTalkClient({ baseUrl: `http://127.0.0.1:${await unusedPort()}`, timeoutMs: 2_000 });
    try {
      const e = await caught(client.batchSendOTO(APP, SEND));
      // The token call is the first to fail.
      expect(e).toBeInstanceOf(DingTalkTransportError);
      expect(e).toMatchObject({
        api: 'oauth2.accessToken',
        failure: TransportFailure.Connect,
        requestSent: false,
        ambiguous: false,
        retryClass: RetryClass.Transient,
      });
      expect((e as Error).message).toContain('ECONNREFUSED');
      expectNoSecrets(e);
    } finally {
      client.close();
    }
  });

  it('a reset after sending is ambiguous for batchSend', async () => {
    const server = await resettingServer();
    const client = await clientWithToken(server.url);
    try {
      const e = await caught(client.batchSendOTO(APP, SEND));
      expect(e).toMatchObject({
        failure: TransportFailure.ConnectionLost,
        requestSent: true,
        ambiguous: true,
        retryClass: RetryClass.Ambiguous,
      });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a closed client refuses further calls', async () => {
    const server = await silentServer();
    const client = await clientWithToken(server.url);
    client.close();
    await expect(client.batchSendOTO(APP, SEND)).rejects.toThrow('closed');
    expect(client.connectionStats().requests).toBe(0);
    await server.close();
  });
});

describe('answers from the edge in front of DingTalk', () => {
  it.each([
    ['flood-guard JSON with 200', 200, 'application/json', '{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"u-1"}'],
    ['flood-guard JSON with 403', 403, 'application/json', '{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"u-1"}'],
    ['an HTML page', 403, 'text/html', '<!DOCTYPE html><html><body>访问被拒绝</body></html>'],
    ['an HTML page with 200', 200, 'text/html;charset=utf-8', '<html><body>blocked</body></html>'],
  ])('%s → ip-blocked', async (_label, status, contentType, body) => {
    const server = await fixedServer(status, contentType, body);
    const client = await clientWithToken(server.url);
    try {
      const e = await caught(client.batchSendOTO(APP, SEND));
      expect(e).toBeInstanceOf(DingTalkApiError);
      expect(e).toMatchObject({ httpStatus: status, code: IP_BLOCKED_CODE, retryClass: RetryClass.IpBlocked, ambiguous: false });
    } finally {
      client.close();
      await server.close();
    }
  });

  it("a proxy's 502 page is ambiguous (the proxy may have forwarded the call), which matters for batchSend only", async () => {
    const server = await fixedServer(502, 'text/html', '<html><body>502 Bad Gateway</body></html>');
    const client = await clientWithToken(server.url);
    try {
      const e = await caught(client.batchSendOTO(APP, SEND));
      expect(e).toMatchObject({ httpStatus: 502, code: undefined, ambiguous: true, retryClass: RetryClass.Ambiguous });
      const r = await caught(client.readStatus(APP, { robotCode: 'robot', processQueryKey: 'k' }));
      expect(r).toMatchObject({ httpStatus: 502, ambiguous: true, retryClass: RetryClass.Transient });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a 200 that is not JSON on batchSend is an ambiguous invalid response', async () => {
    const server = await fixedServer(200, 'text/plain', 'ok');
    const client = await clientWithToken(server.url);
    try {
      const e = await caught(client.batchSendOTO(APP, SEND));
      expect(e).toBeInstanceOf(DingTalkTransportError);
      expect(e).toMatchObject({ failure: TransportFailure.InvalidResponse, httpStatus: 200, ambiguous: true, retryClass: RetryClass.Ambiguous });
    } finally {
      client.close();
      await server.close();
    }
  });
});

/**
 * Each call's request as it arrives on the wire, at a peer that never answers: the exact bytes (path case, query
 * encoding, JSON-string fields) rather than what a server makes of them. Their answers are tested against the
 * simulator, which serves them all (plugins.spec.ts, dingtalk.client.spec.ts, and the domain's read-status and
 * recall tests).
 */
describe('request wire format', () => {
  async function wire(call: (c: DingTalkClient) => Promise<unknown>): Promise<{ head: string; body: unknown }> {
    const server = await silentServer();
    const client = await clientWithToken(server.url, { timeoutMs: 150 });
    try {
      await caught(call(client));
      const text = server.received();
      const [head = '', rawBody = ''] = text.split('\r\n\r\n');
      return { head, body: rawBody ? (JSON.parse(rawBody) as unknown) : undefined };
    } finally {
      client.close();
      await server.close();
    }
  }

  it('readStatus is a GET with a percent-encoded processQueryKey and the token header', async () => {
    const { head, body } = await wire((c) => c.readStatus(APP, { robotCode: 'robot 1', processQueryKey: 'ab+c/d==' }));
    expect(head.split('\r\n')[0]).toBe('GET /v1.0/robot/oToMessages/readStatus?robotCode=robot+1&processQueryKey=ab%2Bc%2Fd%3D%3D HTTP/1.1');
    expect(head.toLowerCase()).toContain(`x-acs-dingtalk-access-token: ${TOKEN}`);
    expect(body).toBeUndefined();
  });

  it('batchSend posts JSON with msgParam as a string', async () => {
    const { head, body } = await wire((c) => c.batchSendOTO(APP, SEND));
    expect(head.split('\r\n')[0]).toBe('POST /v1.0/robot/oToMessages/batchSend HTTP/1.1');
    expect(head.toLowerCase()).toContain('content-type: application/json');
    expect(body).toEqual({ robotCode: 'robot', userIds: ['user-1'], msgKey: 'sampleText', msgParam: '{"content":"hi"}' });
  });

  it('batchRecall uses the lower-case otoMessages path', async () => {
    const { head, body } = await wire((c) => c.batchRecall(APP, { robotCode: 'robot', processQueryKeys: ['k1+/=', 'k2'] }));
    expect(head.split('\r\n')[0]).toBe('POST /v1.0/robot/otoMessages/batchRecall HTTP/1.1');
    expect(body).toEqual({ robotCode: 'robot', processQueryKeys: ['k1+/=', 'k2'] });
  });

  it('plugins/set sends each i18n name as a JSON string', async () => {
    const { head, body } = await wire((c) =>
      c.setPlugins(APP, {
        robotCode: 'robot',
        pluginInfoList: [
          { name: { zh_CN: '请假', en_US: 'Leave' }, icon: '@lALP1', pcUrl: 'https://pc', mobileUrl: 'https://m' },
          { name: '{"zh_CN":"报销"}', icon: '@lALP2' },
        ],
      }),
    );
    expect(head.split('\r\n')[0]).toBe('POST /v1.0/robot/plugins/set HTTP/1.1');
    expect(body).toEqual({
      robotCode: 'robot',
      pluginInfoList: [
        { name: '{"zh_CN":"请假","en_US":"Leave"}', icon: '@lALP1', pcUrl: 'https://pc', mobileUrl: 'https://m' },
        { name: '{"zh_CN":"报销"}', icon: '@lALP2' },
      ],
    });
  });

  it.each([
    ['query', (c: DingTalkClient) => c.queryPlugins(APP, { robotCode: 'robot' })],
    ['clear', (c: DingTalkClient) => c.clearPlugins(APP, { robotCode: 'robot' })],
  ])('plugins/%s posts the robotCode', async (op, call) => {
    const { head, body } = await wire(call);
    expect(head.split('\r\n')[0]).toBe(`POST /v1.0/robot/plugins/${op} HTTP/1.1`);
    expect(body).toEqual({ robotCode: 'robot' });
  });

  it('the token call posts appKey and appSecret as JSON', async () => {
    const server = await silentServer();
    const client = new DingTalkClient({ baseUrl: server.url, timeoutMs: 150 });
    try {
      const e = await caught(client.getAccessToken(APP));
      expect(e).toMatchObject({ api: 'oauth2.accessToken', failure: TransportFailure.Timeout });
      expectNoSecrets(e);
      const [head = '', rawBody = ''] = server.received().split('\r\n\r\n');
      expect(head.split('\r\n')[0]).toBe('POST /v1.0/oauth2/accessToken HTTP/1.1');
      expect(head.toLowerCase()).not.toContain('x-acs-dingtalk-access-token');
      expect(JSON.parse(rawBody)).toEqual(APP);
    } finally {
      client.close();
      await server.close();
    }
  });
});
