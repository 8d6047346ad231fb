import { DEV_APP, type DingTalkSimulator, type SimulatorOptions, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { DingTalkApiError, DingTalkRequestError, DingTalkTransportError, TransportFailure } from './dingtalk-api.error.js';
import { DingTalkClient, type DingTalkClientOptions } from './dingtalk.client.js';
import { RetryClass } from './retry-class.js';
import { caught } from '../test/support/spec-helpers.js';

const APP = { appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret };
const ROBOT = DEV_APP.robotCode;
const TEXT = { robotCode: ROBOT, msgKey: 'sampleText', msgParam: { content: 'hello' } };
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

let sim: DingTalkSimulator;
let client: DingTalkClient;

async function setUp(simOptions: SimulatorOptions = {}, clientOptions: DingTalkClientOptions = {}): Promise<void> {
  sim = await startDingTalkSimulator(simOptions);
  client = new DingTalkClient({ baseUrl: sim.url, ...clientOptions });
}

afterEach(async () => {
  client?.close();
  await sim?.close();
});

const users = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `user-${from + i}`);

describe('access tokens', () => {
  it('fetches one token for many sends', async () => {
    await setUp();
    for (let i = 0; i < 10; i++) await client.batchSendOTO(APP, { ...TEXT, userIds: [`user-${i}`] });
    const stats = sim.stats();
    expect(stats.accessToken.calls).toBe(1);
    expect(stats.batchSend.succeeded).toBe(10);
  });

  it('shares one in-flight fetch among 20 concurrent callers', async () => {
    await setUp();
    const results = await Promise.all(users(20).map((u) => client.batchSendOTO(APP, { ...TEXT, userIds: [u] })));
    expect(results.every((r) => r.processQueryKey.length > 0)).toBe(true);
    expect(sim.stats().accessToken.calls).toBe(1);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => client.getAccessToken(APP)));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.stats().accessToken.calls).toBe(1);
  });

  it('re-fetches after DingTalk expired the token and the call still succeeds', async () => {
    await setUp();
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    const before = await client.getAccessToken(APP);
    expect(sim.expireAllTokens()).toBe(1);

    const result = await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] });

    expect(result.processQueryKey).toBeTruthy();
    const stats = sim.stats();
    expect(stats.accessToken.calls).toBe(2);
    expect(stats.errorsByCode['InvalidAuthentication']).toBe(1);
    expect(stats.batchSend.succeeded).toBe(2);
    expect(await client.getAccessToken(APP)).not.toBe(before);
    expect(sim.ledger.countFor('user-2')).toBe(1);
  });

  it('many callers failing with the same expired token cause one re-fetch, not one each', async () => {
    await setUp();
    await client.getAccessToken(APP);
    sim.expireAllTokens();
    const results = await Promise.all(users(10).map((u) => client.batchSendOTO(APP, { ...TEXT, userIds: [u] })));
    expect(results).toHaveLength(10);
    const stats = sim.stats();
    expect(stats.errorsByCode['InvalidAuthentication']).toBe(10);
    expect(stats.accessToken.calls).toBe(2);
    expect(stats.batchSend.succeeded).toBe(10);
  });

  it('refreshes a short-lived token before it expires (margin capped to a fraction of its lifetime)', async () => {
    // A 1 s token: the 10 min default margin is capped at 20 %, so the token is used for ~0.8 s.
    await setUp({ tokenTtlSeconds: 1 });
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] });
    expect(sim.stats().accessToken.calls).toBe(1);
    await new Promise((r) => setTimeout(r, 850));
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-3'] });
    const stats = sim.stats();
    expect(stats.accessToken.calls).toBe(2);
    // Refreshed in time: DingTalk renewed the still-valid token, and no call was rejected.
    expect(stats.accessToken.renewed).toBe(1);
    expect(stats.errorsByCode['InvalidAuthentication']).toBeUndefined();
  });

  it('keeps using a not-yet-expired token when its early refresh fails', async () => {
    // 1 s token with a 50 % margin: refresh is due after 0.5 s, the token dies after 1 s.
    await setUp({ tokenTtlSeconds: 1 }, { maxRefreshMarginFraction: 0.5 });
    const token = await client.getAccessToken(APP);
    await new Promise((r) => setTimeout(r, 550));
    sim.injectFault({ api: 'accessToken', code: 'system.busy' });
    const result = await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    expect(result.processQueryKey).toBeTruthy();
    expect(sim.stats().accessToken.calls).toBe(2);
    expect(sim.stats().accessToken.failed).toBe(1);
    expect(await client.tokens.store.get(APP.appKey)).toMatchObject({ accessToken: token });
  });

  it('retries exactly once: a token rejected twice surfaces as an auth error', async () => {
    await setUp();
    sim.injectFault({ api: 'batchSend', code: 'InvalidAuthentication', times: 2 });
    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] }));
    expect(e).toBeInstanceOf(DingTalkApiError);
    expect(e).toMatchObject({ api: 'robot.batchSendOTO', httpStatus: 400, code: 'InvalidAuthentication', retryClass: RetryClass.Auth });
    const stats = sim.stats();
    expect(stats.batchSend.calls).toBe(2);
    expect(stats.accessToken.calls).toBe(2);
    expect(sim.ledger.countFor('user-1')).toBe(0);
  });

  it('reports wrong credentials as a permanent token error without leaking the secret', async () => {
    await setUp();
    const wrong = { appKey: APP.appKey, appSecret: 'not-the-secret-1234' };
    const e = await caught(client.batchSendOTO(wrong, { ...TEXT, userIds: ['user-1'] }));
    expect(e).toBeInstanceOf(DingTalkApiError);
    expect(e).toMatchObject({ api: 'oauth2.accessToken', httpStatus: 400, code: 'invalidClientIdOrSecret', retryClass: RetryClass.Permanent });
    expect((e as DingTalkApiError).requestId).toMatch(REQUEST_ID);
    expect(JSON.stringify(e)).not.toContain(wrong.appSecret);
    expect(String(e)).not.toContain(wrong.appSecret);
    expect(sim.stats().batchSend.calls).toBe(0);
  });

  it('does not cache a failed fetch: the next caller tries again', async () => {
    await setUp();
    sim.injectFault({ api: 'accessToken', code: 'system.busy' });
    const concurrent = await Promise.allSettled(users(5).map((u) => client.batchSendOTO(APP, { ...TEXT, userIds: [u] })));
    // One shared fetch failed, so all five callers see its error.
    expect(concurrent.every((r) => r.status === 'rejected')).toBe(true);
    expect(sim.stats().accessToken.calls).toBe(1);
    const e = (concurrent[0] as PromiseRejectedResult).reason;
    expect(e).toMatchObject({ api: 'oauth2.accessToken', code: 'system.busy', httpStatus: 429, retryClass: RetryClass.Transient });

    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-9'] });
    expect(sim.stats().accessToken.calls).toBe(2);
  });
});

describe('batchSendOTO', () => {
  it('sends msgParam as a JSON string and returns the normalised lists', async () => {
    await setUp({ flowControl: { userIds: ['user-3'] } });
    const msgParam = { title: '周报 "Q3"', text: '# Hi\n\n**bold** & <tag> ✓' };
    const result = await client.batchSendOTO(APP, {
      robotCode: ROBOT,
      msgKey: 'sampleMarkdown',
      msgParam,
      userIds: ['user-1', 'user-2', 'user-3', 'nobody'],
    });

    expect(result.processQueryKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(result.invalidStaffIdList).toEqual(['nobody']);
    expect(result.flowControlledStaffIdList).toEqual(['user-3']);
    // Absent from the answer unless the simulator filters someone: normalised to [].
    expect(result.filteredStaffIdList).toEqual([]);
    expect(result.requestId).toMatch(REQUEST_ID);

    // The simulator rejects a non-string msgParam, and recorded exactly what was in the string.
    const call = sim.ledger.call(result.processQueryKey);
    expect(call?.msgParam).toEqual(msgParam);
    expect(call?.delivered).toEqual(['user-1', 'user-2']);
    expect(sim.ledger.countFor('user-1')).toBe(1);
  });

  it('passes an already-serialized msgParam through unchanged', async () => {
    await setUp({ filteredUserIds: ['user-7'] });
    const result = await client.batchSendOTO(APP, {
      robotCode: ROBOT,
      msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: 'pre-serialized' }),
      userIds: ['user-6', 'user-7'],
    });
    expect(result.filteredStaffIdList).toEqual(['user-7']);
    expect(sim.ledger.call(result.processQueryKey)?.msgParam).toEqual({ content: 'pre-serialized' });
  });

  it('types msgParam by msgKey from the contracts catalog', async () => {
    await setUp();
    const ok = await client.batchSendOTO(APP, { robotCode: ROBOT, userIds: ['user-1'], msgKey: 'sampleMarkdown', msgParam: { title: 'T', text: 'x' } });
    expect(sim.ledger.call(ok.processQueryKey)?.msgParam).toEqual({ title: 'T', text: 'x' });
    // The compiler refuses what DingTalk would refuse.
    // @ts-expect-error sampleMarkdown requires a title
    const e = await caught(client.batchSendOTO(APP, { robotCode: ROBOT, userIds: ['user-1'], msgKey: 'sampleMarkdown', msgParam: { text: 'x' } }));
    expect(e).toMatchObject({ code: 'miss.param.markdownTotitle', retryClass: RetryClass.Permanent });
  });

  it('reuses one keep-alive connection for sequential calls', async () => {
    await setUp();
    for (let i = 0; i < 5; i++) await client.batchSendOTO(APP, { ...TEXT, userIds: [`user-${i}`] });
    // 1 token call + 5 sends over one socket.
    expect(client.connectionStats()).toEqual({ requests: 6, socketsOpened: 1, reusedSocketRequests: 5 });
  });

  it('the idle-socket timeout closes idle connections but never cuts a slow answer', async () => {
    await setUp({ faults: { latencyMs: 300 } }, { idleSocketTimeoutMs: 100 });
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    await new Promise((r) => setTimeout(r, 250));
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] });
    // Token call and first send shared a socket; it was closed while idle, so the second send opened another.
    expect(client.connectionStats()).toMatchObject({ requests: 3, socketsOpened: 2 });
    expect(sim.ledger.countFor('user-2')).toBe(1);
  });

  it('never opens more connections than maxSockets', async () => {
    await setUp({ faults: { latencyMs: 50 } }, { maxSockets: 2 });
    await Promise.all(users(8).map((u) => client.batchSendOTO(APP, { ...TEXT, userIds: [u] })));
    expect(client.connectionStats().socketsOpened).toBeLessThanOrEqual(2);
    expect(sim.stats().peakInFlight).toBeLessThanOrEqual(2);
  });
});

describe('typed errors from DingTalk', () => {
  it('a validation failure is permanent and carries code, message and requestid', async () => {
    await setUp();
    const e = await caught(client.batchSendOTO(APP, { robotCode: ROBOT, msgKey: 'noSuchKey', msgParam: {}, userIds: ['user-1'] }));
    expect(e).toBeInstanceOf(DingTalkApiError);
    const err = e as DingTalkApiError;
    expect(err).toMatchObject({
      api: 'robot.batchSendOTO',
      httpStatus: 400,
      code: 'invalidParameter.msgKey.invalid',
      retryClass: RetryClass.Permanent,
      ambiguous: false,
    });
    expect(err.requestId).toMatch(REQUEST_ID);
    expect(err.dingTalkMessage).toBeTruthy();
    expect(err.message).toContain('invalidParameter.msgKey.invalid');
    expect(err.message).toContain(err.requestId);
  });

  it.each([
    ['a robot that is not installed', { robotCode: 'no-such-robot' }, 'invalidParameter.robotCode.notExsit'],
    ['a missing template field', { msgKey: 'sampleMarkdown', msgParam: { text: 'no title' } }, 'miss.param.markdownTotitle'],
  ])('%s → %s (permanent)', async (_label, patch, code) => {
    await setUp();
    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'], ...patch }));
    expect(e).toMatchObject({ httpStatus: 400, code, retryClass: RetryClass.Permanent });
  });

  it.each([
    ['Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', undefined, 403, RetryClass.QpsThrottle],
    ['Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', 403, 403, RetryClass.QpsThrottle],
    ['send.too.fast', undefined, 400, RetryClass.RateLimited],
    ['send.byToken.tooFast', undefined, 400, RetryClass.RateLimited],
    ['too.many.people', undefined, 400, RetryClass.RateLimited],
    ['system.busy', undefined, 429, RetryClass.Transient],
    ['Forbidden.AccessDenied.ApiCountLimitForOrg', undefined, 403, RetryClass.QuotaExhausted],
    ['chatbotId.notAllow.sendOTO', undefined, 400, RetryClass.Permanent],
  ])('%s (HTTP %s) → %s', async (code, status, expectedStatus, retryClass) => {
    await setUp();
    sim.injectFault({ api: 'batchSend', code, ...(status ? { status } : {}) });
    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] }));
    expect(e).toBeInstanceOf(DingTalkApiError);
    expect(e).toMatchObject({ httpStatus: expectedStatus, code, retryClass, ambiguous: false });
    expect((e as DingTalkApiError).requestId).toMatch(REQUEST_ID);
    expect(sim.ledger.countFor('user-1')).toBe(0);
  });

  it('system.error on batchSend is ambiguous: DingTalk may have delivered before failing', async () => {
    await setUp();
    sim.injectFault({ api: 'batchSend', code: 'system.error', afterDelivery: true });
    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] }));
    expect(e).toMatchObject({ httpStatus: 500, code: 'system.error', ambiguous: true, retryClass: RetryClass.Ambiguous });
    // Which is exactly why: the user got the message.
    expect(sim.ledger.countFor('user-1')).toBe(1);

    // Observed in the wild with HTTP 400 too.
    sim.injectFault({ api: 'batchSend', code: 'system.error', status: 400 });
    const e400 = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] }));
    expect(e400).toMatchObject({ httpStatus: 400, code: 'system.error', retryClass: RetryClass.Ambiguous });
  });

  it('the QPS switch throttles with 403 qps-throttle', async () => {
    await setUp({ faults: { qpsLimitPerApp: 3 } });
    await client.getAccessToken(APP);
    const settled = await Promise.allSettled(users(8).map((u) => client.batchSendOTO(APP, { ...TEXT, userIds: [u] })));
    const rejected = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as DingTalkApiError);
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected).toHaveLength(5);
    for (const e of rejected) expect(e).toMatchObject({ httpStatus: 403, retryClass: RetryClass.QpsThrottle });
  });

  it('the monthly quota switch answers quota-exhausted', async () => {
    await setUp({ faults: { monthlyQuotaPerApp: 1 } });
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] }));
    expect(e).toMatchObject({ code: 'Forbidden.AccessDenied.ApiCountLimitForOrg', retryClass: RetryClass.QuotaExhausted });
  });
});

describe('timeouts against the simulator', () => {
  it('a hung batchSend is an ambiguous transport error — and the user may indeed have the message', async () => {
    await setUp({}, { timeoutMs: 300 });
    await client.getAccessToken(APP);
    sim.injectFault({ api: 'batchSend', hang: true, afterDelivery: true });
    const e = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] }));
    expect(e).toBeInstanceOf(DingTalkTransportError);
    expect(e).toMatchObject({ failure: TransportFailure.Timeout, requestSent: true, ambiguous: true, retryClass: RetryClass.Ambiguous });
    expect(sim.ledger.countFor('user-1')).toBe(1);

    // Hanging before delivering looks the same from the client's side: that is what ambiguous means.
    sim.injectFault({ api: 'batchSend', hang: true });
    const e2 = await caught(client.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] }));
    expect(e2).toMatchObject({ failure: TransportFailure.Timeout, retryClass: RetryClass.Ambiguous });
    expect(sim.ledger.countFor('user-2')).toBe(0);

    // The client recovers on a fresh connection.
    await client.batchSendOTO(APP, { ...TEXT, userIds: ['user-3'] });
    expect(sim.ledger.countFor('user-3')).toBe(1);
  });
});

describe('local refusals (no HTTP call)', () => {
  it.each([
    ['more than 20 userIds', () => client.batchSendOTO(APP, { ...TEXT, userIds: users(21) }), 'userIds', 'invalidParameter.userIds.overMax'],
    ['no userIds', () => client.batchSendOTO(APP, { ...TEXT, userIds: [] }), 'userIds', 'invalidParameter.userIds.empty'],
    ['a blank userId', () => client.batchSendOTO(APP, { ...TEXT, userIds: ['user-1', ' '] }), 'userIds.1', 'invalidParameter.userId.empty'],
    ['no robotCode', () => client.batchSendOTO(APP, { ...TEXT, robotCode: '', userIds: ['user-1'] }), 'robotCode', 'invalidParameter.robotCode.empty'],
    ['no msgKey', () => client.batchSendOTO(APP, { ...TEXT, msgKey: '', userIds: ['user-1'] }), 'msgKey', 'invalidParameter.msgKey.empty'],
    [
      'a msgParam string that is not JSON',
      () => client.batchSendOTO(APP, { ...TEXT, msgParam: '{content: hi}', userIds: ['user-1'] }),
      'msgParam',
      'invalidParameter.msgParam.invalid',
    ],
    [
      'a msgParam string that is a JSON array',
      () => client.batchSendOTO(APP, { ...TEXT, msgParam: '["hi"]', userIds: ['user-1'] }),
      'msgParam',
      'invalidParameter.msgParam.invalid',
    ],
    [
      'more than 20 recall keys',
      () => client.batchRecall(APP, { robotCode: ROBOT, processQueryKeys: users(21) }),
      'processQueryKeys',
      'invalidParameter.processQueryKeys.overMax',
    ],
    [
      'no recall keys',
      () => client.batchRecall(APP, { robotCode: ROBOT, processQueryKeys: [] }),
      'processQueryKeys',
      'invalidParameter.processQueryKey.missing',
    ],
    [
      'a readStatus without key',
      () => client.readStatus(APP, { robotCode: ROBOT, processQueryKey: '' }),
      'processQueryKey',
      'invalidParameter.processQueryKey.missing',
    ],
    [
      'a plugin name that is not JSON',
      () => client.setPlugins(APP, { robotCode: ROBOT, pluginInfoList: [{ name: 'Leave', icon: '@lALP' }] }),
      'pluginInfoList.0.name',
      'invalidRequest.jsonFormatErroj',
    ],
    ['an empty appSecret', () => client.batchSendOTO({ appKey: APP.appKey, appSecret: '' }, { ...TEXT, userIds: ['user-1'] }), 'appSecret', 'invalidClientIdOrSecret'],
  ])('refuses %s', async (_label, call, field, code) => {
    await setUp();
    const e = await caught(call());
    expect(e).toBeInstanceOf(DingTalkRequestError);
    expect(e).toMatchObject({ field, code, retryClass: RetryClass.Permanent, ambiguous: false });
    expect(sim.stats().requests).toBe(0);
    expect(client.connectionStats().requests).toBe(0);
  });
});
