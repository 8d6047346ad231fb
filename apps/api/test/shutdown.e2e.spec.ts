import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { startDingTalkSimulator, type DingTalkSimulator } from '@dingrelay/dingtalk-sim';
import {
  type ApiProcess,
  buildApiApp,
  deleteQueuePrefix,
  describeExit,
  issueApiKey,
  prepareTestDatabase,
  stackEnv,
  startApiProcess,
  uniqueQueuePrefix,
  waitFor,
} from '@dingrelay/testing';

/**
 * Graceful shutdown of the built API process: on SIGTERM it stops accepting connections, answers the request in
 * progress (here a quick-entries change waiting on a slow DingTalk), closes idle keep-alive connections instead of
 * waiting for the client to hang up, and exits 0.
 */
const TIMEOUT_MS = 180_000;
const APP = { appKey: 'shutdown-api-app', appSecret: `s-${randomBytes(8).toString('hex')}`, robotCode: 'shutdown-api-robot' };

interface Answer {
  status: number;
  body: string;
  socket: Socket;
}

/** One request on `agent` (keep-alive), answered in full. */
function request(agent: http.Agent, url: string, options: { method: string; key: string; body?: unknown }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method, agent, headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socket: connection! }));
        res.on('error', reject);
      },
    );
    // The connection this request used (the response lets go of it once answered).
    let connection: Socket | undefined;
    req.once('socket', (socket: Socket) => (connection = socket));
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

describe('graceful shutdown of the API process', () => {
  const prefix = uniqueQueuePrefix('api-shutdown');
  const configuration = `api-shutdown-${randomBytes(4).toString('hex')}`;
  let sim: DingTalkSimulator;
  let api: ApiProcess;
  let key: string;

  beforeAll(async () => {
    const databaseUrl = await prepareTestDatabase();
    await buildApiApp();
    // Quick-entry changes wait on DingTalk while the request is open: long enough to signal the API meanwhile.
    sim = await startDingTalkSimulator({ apps: [APP], faults: { apis: ['pluginsSet'], latencyMs: 3_000 } });
    key = await issueApiKey({ databaseUrl, role: 'admin', name: 'api-shutdown' });
    api = await startApiProcess({
      name: 'shutdown api',
      env: {
        ...stackEnv({ databaseUrl, queuePrefix: prefix, dingTalkUrl: sim.url, app: APP, configuration }),
        SHUTDOWN_TIMEOUT_MS: '60000',
      },
    });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await api?.stop();
    await sim?.close();
    await deleteQueuePrefix(prefix).catch(() => undefined);
  }, 60_000);

  it(
    'SIGTERM: the request in progress is answered, idle keep-alive connections do not hold it open, exit 0',
    async () => {
      const idle = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const busy = new http.Agent({ keepAlive: true, maxSockets: 1 });
      // A kept-alive connection left idle: without closing it, the server could not finish closing.
      const first = await request(idle, `${api.url}/v1/chat-configurations/${configuration}`, { method: 'GET', key });
      expect(first.status).toBe(200);
      const idleSocketClosed = new Promise<void>((resolve) => first.socket.once('close', () => resolve()));

      const inProgress = request(busy, `${api.url}/v1/chat-configurations/${configuration}/plugins`, {
        method: 'PUT',
        key,
        body: { plugins: [{ name: { zh_CN: '请假' }, icon: '@lALPDtXaDkO3j7hgYA', pcUrl: 'https://example.com/leave', mobileUrl: 'https://example.com/leave' }] },
      });
      // The request is with DingTalk (the simulator holds the call on its latency) when the signal comes.
      await waitFor(async () => sim.stats().inFlight, (n) => n > 0, { timeoutMs: 30_000, intervalMs: 20, description: 'the plugins call to reach DingTalk' });
      api.process.signal('SIGTERM');

      const answer = await inProgress;
      expect(answer.status).toBe(200);
      await idleSocketClosed;
      // On its own: a hang is killed after a minute, and fails here.
      expect(describeExit(await api.process.exitWithin(60_000))).toBe('exit code 0');
      const shutdown = api.process
        .linesMatching(/"context":"Shutdown"/)
        .map((line) => (JSON.parse(line) as { message: string }).message);
      expect(shutdown).toEqual([
        expect.stringMatching(/^SIGTERM received: shutting down gracefully/),
        'draining: no new connections; waiting up to 60000 ms for 1 requests in progress',
        'drained: every request in progress was answered',
        'closing connections',
        'shutdown complete',
      ]);
      idle.destroy();
      busy.destroy();
    },
    TIMEOUT_MS,
  );

  it(
    'SHUTDOWN_DELAY_MS: after SIGTERM the API answers not ready but goes on serving new connections for the delay, then exits 0',
    async () => {
      const delayMs = 5_000;
      const delayed = await startApiProcess({
        name: 'delayed-shutdown api',
        env: {
          ...stackEnv({ databaseUrl: await prepareTestDatabase(), queuePrefix: prefix, dingTalkUrl: sim.url, app: APP, configuration }),
          SHUTDOWN_DELAY_MS: String(delayMs),
          SHUTDOWN_TIMEOUT_MS: '10000',
        },
      });
      try {
        await waitFor(() => fetch(`${delayed.url}/health/ready`).then((r) => r.status), (s) => s === 200, {
          timeoutMs: 30_000, intervalMs: 100, description: 'the API to be ready',
        });
        const signalledAt = Date.now();
        delayed.process.signal('SIGTERM');
        const exited = delayed.process.exitWithin(60_000).then((exit) => ({ exit, afterMs: Date.now() - signalledAt }));

        await waitFor(() => fetch(`${delayed.url}/health/ready`).then((r) => r.status), (s) => s === 503, {
          timeoutMs: 2_000, intervalMs: 20, description: 'readiness to turn 503',
        });
        // A load balancer that has not noticed yet still gets answers, on new connections too.
        const during = await fetch(`${delayed.url}/v1/chat-configurations/${configuration}`, {
          headers: { authorization: `Bearer ${key}`, connection: 'close' },
        });
        // (After the delay the port is closed: an answer on a new connection means the API still accepted.)
        expect(during.status).toBe(200);

        const { exit, afterMs } = await exited;
        expect(describeExit(exit)).toBe('exit code 0');
        expect(afterMs).toBeGreaterThanOrEqual(delayMs);
        const shutdown = delayed.process
          .linesMatching(/"context":"Shutdown"/)
          .map((line) => (JSON.parse(line) as { message: string }).message);
        expect(shutdown.slice(0, 2)).toEqual([
          expect.stringMatching(/^SIGTERM received: shutting down gracefully/),
          `not ready; still serving for ${delayMs} ms so that load balancers stop routing here first`,
        ]);
        expect(shutdown.at(-1)).toBe('shutdown complete');
      } finally {
        await delayed.stop();
      }
    },
    TIMEOUT_MS,
  );
});
