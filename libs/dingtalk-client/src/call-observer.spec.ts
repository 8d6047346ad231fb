import { DEV_APP, type DingTalkSimulator, type SimulatorOptions, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import type { DingTalkCallEvent, DingTalkClientObserver, DingTalkTokenFetchEvent } from './call-observer.js';
import { DingTalkApi, DingTalkApiError, DingTalkRequestError, DingTalkTransportError, TransportFailure } from './dingtalk-api.error.js';
import { DingTalkClient, type DingTalkClientOptions } from './dingtalk.client.js';
import { RetryClass } from './retry-class.js';
import { caught, unusedPort } from '../test/support/spec-helpers.js';

const APP = { appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret };
const TEXT = { robotCode: DEV_APP.robotCode, msgKey: 'sampleText', msgParam: { content: 'hello' } };
const QPS_THROTTLED = 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi';

/** Records what the client reports. */
class RecordingObserver implements DingTalkClientObserver {
  readonly calls: DingTalkCallEvent[] = [];
  readonly tokenFetches: DingTalkTokenFetchEvent[] = [];
  onCall(e: DingTalkCallEvent): void {
    this.calls.push(e);
  }
  onTokenFetch(e: DingTalkTokenFetchEvent): void {
    this.tokenFetches.push(e);
  }
  callsTo(api: DingTalkApi): DingTalkCallEvent[] {
    return this.calls.filter((e) => e.api === api);
  }
}

let sim: DingTalkSimulator | undefined;
let client: DingTalkClient | undefined;
let observer: RecordingObserver;

async function setUp(simOptions: SimulatorOptions = {}, clientOptions: DingTalkClientOptions = {}): Promise<DingTalkClient> {
  sim = await startDingTalkSimulator(simOptions);
  observer = new RecordingObserver();
  client = new DingTalkClient({ baseUrl: sim.url, observer, ...clientOptions });
  return client;
}

afterEach(async () => {
  client?.close();
  client = undefined;
  await sim?.close();
  sim = undefined;
});

describe('observer: successful calls', () => {
  it('reports the token fetch and the send, each with its status and a duration', async () => {
    const c = await setUp();
    await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });

    expect(observer.tokenFetches).toEqual([{ appKey: APP.appKey, outcome: 'ok', durationMs: expect.any(Number) }]);
    expect(observer.calls).toEqual([
      { api: DingTalkApi.AccessToken, appKey: APP.appKey, outcome: 'ok', httpStatus: 200, durationMs: expect.any(Number) },
      { api: DingTalkApi.BatchSendOTO, appKey: APP.appKey, outcome: 'ok', httpStatus: 200, durationMs: expect.any(Number) },
    ]);
    expect(observer.calls.every((e) => e.durationMs >= 0 && e.code === undefined)).toBe(true);
  });

  it('a cached token is no fetch: ten sends, one token event', async () => {
    const c = await setUp();
    for (let i = 0; i < 10; i++) await c.batchSendOTO(APP, { ...TEXT, userIds: [`user-${i}`] });
    expect(observer.tokenFetches).toHaveLength(1);
    expect(observer.callsTo(DingTalkApi.BatchSendOTO).map((e) => e.outcome)).toEqual(Array(10).fill('ok'));
    expect(sim!.stats().batchSend.succeeded).toBe(10);
  });

  it('reports readStatus, batchRecall and the plugin calls under their own api names', async () => {
    const c = await setUp();
    const sent = await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    await c.readStatus(APP, { robotCode: DEV_APP.robotCode, processQueryKey: sent.processQueryKey });
    await c.batchRecall(APP, { robotCode: DEV_APP.robotCode, processQueryKeys: [sent.processQueryKey] });
    await c.queryPlugins(APP, { robotCode: DEV_APP.robotCode });
    expect(observer.calls.map((e) => [e.api, e.outcome])).toEqual([
      [DingTalkApi.AccessToken, 'ok'],
      [DingTalkApi.BatchSendOTO, 'ok'],
      [DingTalkApi.ReadStatus, 'ok'],
      [DingTalkApi.BatchRecall, 'ok'],
      [DingTalkApi.QueryPlugins, 'ok'],
    ]);
  });
});

describe('observer: failures', () => {
  it('reports the rejected attempt, the new token fetch and the retried attempt after DingTalk dropped the token', async () => {
    const c = await setUp();
    await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    sim!.expireAllTokens();
    observer.calls.length = 0;
    observer.tokenFetches.length = 0;

    await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] });

    expect(observer.calls).toEqual([
      {
        api: DingTalkApi.BatchSendOTO,
        appKey: APP.appKey,
        outcome: 'api-error',
        httpStatus: 400,
        code: 'InvalidAuthentication',
        retryClass: RetryClass.Auth,
        durationMs: expect.any(Number),
      },
      { api: DingTalkApi.AccessToken, appKey: APP.appKey, outcome: 'ok', httpStatus: 200, durationMs: expect.any(Number) },
      { api: DingTalkApi.BatchSendOTO, appKey: APP.appKey, outcome: 'ok', httpStatus: 200, durationMs: expect.any(Number) },
    ]);
    expect(observer.tokenFetches.map((e) => e.outcome)).toEqual(['ok']);
    expect(sim!.ledger.countFor('user-2')).toBe(1);
  });

  it('reports DingTalk QPS throttling as an api-error with its code, status and retry class, once per throttled call', async () => {
    const c = await setUp({ faults: { qpsLimitPerApp: 1 } });
    await c.getAccessToken(APP);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => c.batchSendOTO(APP, { ...TEXT, userIds: [`user-${i}`] })));

    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    expect(rejected.every((r) => r.reason instanceof DingTalkApiError && r.reason.code === QPS_THROTTLED)).toBe(true);
    const sends = observer.callsTo(DingTalkApi.BatchSendOTO);
    const throttled = sends.filter((e) => e.outcome === 'api-error');
    expect(throttled).toHaveLength(rejected.length);
    expect(throttled[0]).toEqual({
      api: DingTalkApi.BatchSendOTO,
      appKey: APP.appKey,
      outcome: 'api-error',
      httpStatus: 403,
      code: QPS_THROTTLED,
      retryClass: RetryClass.QpsThrottle,
      durationMs: expect.any(Number),
    });
    expect(sends.filter((e) => e.outcome === 'ok')).toHaveLength(10 - rejected.length);
    expect(sim!.stats().errorsByCode[QPS_THROTTLED]).toBe(rejected.length);
  });

  it('reports a send that got no answer in time as a transport-error with the failure as its code', async () => {
    const c = await setUp();
    await c.getAccessToken(APP);
    sim!.injectFault({ api: 'batchSend', hang: true });

    const e = await caught(c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] }, { timeoutMs: 300 }));

    expect(e).toBeInstanceOf(DingTalkTransportError);
    expect(observer.callsTo(DingTalkApi.BatchSendOTO)).toEqual([
      {
        api: DingTalkApi.BatchSendOTO,
        appKey: APP.appKey,
        outcome: 'transport-error',
        code: TransportFailure.Timeout,
        // The request was written: for batchSend that means it may have been delivered.
        retryClass: RetryClass.Ambiguous,
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('reports a token endpoint nobody listens on as a failed call and a failed token fetch', async () => {
    observer = new RecordingObserver();
    client = new DingTalkClient({ baseUrl: `http://127.0.0.1:${await unusedPort()}`, observer, timeoutMs: 2_000 });

    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] }));

    expect(e).toBeInstanceOf(DingTalkTransportError);
    expect(observer.calls).toEqual([
      {
        api: DingTalkApi.AccessToken,
        appKey: APP.appKey,
        outcome: 'transport-error',
        code: TransportFailure.Connect,
        retryClass: RetryClass.Transient,
        durationMs: expect.any(Number),
      },
    ]);
    expect(observer.tokenFetches).toEqual([
      { appKey: APP.appKey, outcome: 'error', code: TransportFailure.Connect, durationMs: expect.any(Number) },
    ]);
  });

  it('reports wrong app credentials with DingTalk code on both the call and the token fetch', async () => {
    const c = await setUp();
    await caught(c.batchSendOTO({ appKey: APP.appKey, appSecret: 'not-the-secret' }, { ...TEXT, userIds: ['user-1'] }));
    const [call] = observer.calls;
    expect(call).toMatchObject({ api: DingTalkApi.AccessToken, outcome: 'api-error', retryClass: RetryClass.Permanent });
    expect(call?.code).toBeTruthy();
    expect(observer.tokenFetches).toEqual([{ appKey: APP.appKey, outcome: 'error', code: call?.code, durationMs: expect.any(Number) }]);
    expect(observer.callsTo(DingTalkApi.BatchSendOTO)).toEqual([]);
  });

  it('reports a call refused locally as a request-error although nothing was sent', async () => {
    const c = await setUp();
    const users = Array.from({ length: 21 }, (_, i) => `user-${i}`);
    const e = await caught(c.batchSendOTO(APP, { ...TEXT, userIds: users }));
    expect(e).toBeInstanceOf(DingTalkRequestError);
    expect(observer.calls).toEqual([
      {
        api: DingTalkApi.BatchSendOTO,
        appKey: APP.appKey,
        outcome: 'request-error',
        code: 'invalidParameter.userIds.overMax',
        retryClass: RetryClass.Permanent,
        durationMs: 0,
      },
    ]);
    expect(sim!.stats().accessToken.calls).toBe(0);
  });
});

describe('observer errors never fail a call', () => {
  it('a throwing hook and a rejecting async hook are both ignored', async () => {
    let seen = 0;
    const throwing: DingTalkClientObserver = {
      onCall: () => {
        seen++;
        throw new Error('metrics backend down');
      },
      onTokenFetch: async () => {
        seen++;
        throw new Error('async metrics backend down');
      },
    };
    const c = await setUp({}, { observer: throwing });
    const result = await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    expect(result.processQueryKey).toBeTruthy();
    // accessToken call + token fetch + batchSend
    expect(seen).toBe(3);
    expect(sim!.ledger.countFor('user-1')).toBe(1);
  });
});
