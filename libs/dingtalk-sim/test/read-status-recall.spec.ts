import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { batchSend, postJson, request, textSend, token } from './sim-client.js';

const OTHER_APP = { appKey: 'other-app', appSecret: 'other-secret', robotCode: 'other-robot' };
const HOUR = 3_600_000;

describe('readStatus and batchRecall', () => {
  let sim: DingTalkSimulator;
  let clock = 0;

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ now: () => clock, apps: [DEV_APP, OTHER_APP] });
  });
  beforeEach(() => {
    clock = 10_000_000;
    sim.reset();
  });
  afterAll(() => sim.close());

  async function sent(userIds: string[], app = DEV_APP): Promise<{ accessToken: string; key: string }> {
    const accessToken = await token(sim, app);
    const res = await batchSend(sim, accessToken, { ...textSend(userIds), robotCode: app.robotCode });
    expect(res.status).toBe(200);
    return { accessToken, key: res.body.processQueryKey as string };
  }

  function readStatus(accessToken: string, key: string | undefined, robotCode: string | null = DEV_APP.robotCode) {
    const q = new URLSearchParams();
    if (robotCode !== null) q.set('robotCode', robotCode);
    if (key !== undefined) q.set('processQueryKey', key);
    return request(`${sim.url}/v1.0/robot/oToMessages/readStatus?${q}`, {
      method: 'GET',
      headers: { 'x-acs-dingtalk-access-token': accessToken },
    });
  }

  function recall(accessToken: string, keys: unknown, robotCode: unknown = DEV_APP.robotCode) {
    return postJson(`${sim.url}/v1.0/robot/otoMessages/batchRecall`, { robotCode, processQueryKeys: keys }, {
      'x-acs-dingtalk-access-token': accessToken,
    });
  }

  it('answers every delivered user UNREAD until a test marks some read, then READ for them only', async () => {
    const { accessToken, key } = await sent(['user-1', 'user-2', 'ghost']);
    const first = await readStatus(accessToken, key);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      sendStatus: 'SUCCESS',
      messageReadInfoList: [
        { name: 'user-1', userId: 'user-1', readStatus: 'UNREAD' },
        { name: 'user-2', userId: 'user-2', readStatus: 'UNREAD' },
      ],
    });
    sim.markRead(key, ['user-2']);
    const second = await readStatus(accessToken, key);
    expect((second.body.messageReadInfoList as { readStatus: string }[]).map((i) => i.readStatus)).toEqual(['UNREAD', 'READ']);
    expect(sim.stats().readStatus).toMatchObject({ calls: 2, succeeded: 2 });
    expect(sim.readStatusCalls().map((c) => c.readUsers)).toEqual([0, 1]);
  });

  it('users read after the configured delay, a stable fraction of them, with timestamps when asked, SUCESS when asked', async () => {
    sim.configure({ readRecall: { readAfterMs: 60_000, readFraction: 0.5, readTimestamps: true, sucessTypo: true } });
    const users = Array.from({ length: 20 }, (_, i) => `user-${i + 1}`);
    const { accessToken, key } = await sent(users);
    const before = await readStatus(accessToken, key);
    expect(before.body.sendStatus).toBe('SUCESS');
    expect((before.body.messageReadInfoList as { readStatus: string }[]).every((i) => i.readStatus === 'UNREAD')).toBe(true);
    clock += 60_000;
    const after = (await readStatus(accessToken, key)).body.messageReadInfoList as { readStatus: string; readTimestamp?: number }[];
    const read = after.filter((i) => i.readStatus === 'READ');
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(20);
    expect(read.every((i) => i.readTimestamp === 10_000_000 + 60_000)).toBe(true);
    expect(after.filter((i) => i.readStatus === 'UNREAD').every((i) => i.readTimestamp === undefined)).toBe(true);
    const again = (await readStatus(accessToken, key)).body.messageReadInfoList as { readStatus: string }[];
    expect(again).toEqual(after);
  });

  it('answers processQueryKey.expireTime while not ready and once past 24 h (clock offset or per-message age)', async () => {
    sim.configure({ readRecall: { notReadyMs: 5_000 } });
    const { accessToken, key } = await sent(['user-1']);
    expect(await readStatus(accessToken, key)).toMatchObject({ status: 400, body: { code: 'processQueryKey.expireTime' } });
    clock += 5_000;
    expect((await readStatus(accessToken, key)).status).toBe(200);
    sim.ageMessage(key, 24 * HOUR);
    expect(await readStatus(accessToken, key)).toMatchObject({ status: 400, body: { code: 'processQueryKey.expireTime' } });

    const fresh = await sent(['user-2']);
    clock += 5_000;
    sim.configure({ readRecall: { clockOffsetMs: 24 * HOUR } });
    expect(await readStatus(fresh.accessToken, fresh.key)).toMatchObject({ status: 400, body: { code: 'processQueryKey.expireTime' } });
    expect(await recall(fresh.accessToken, [fresh.key])).toMatchObject({ status: 400, body: { code: 'robot.processQueryKey.expired' } });
  });

  it('answers PROCESSING, everyone unread, until processingMs after sending', async () => {
    sim.configure({ readRecall: { processingMs: 1_000, readAfterMs: 0 } });
    const { accessToken, key } = await sent(['user-1']);
    sim.markRead(key);
    expect((await readStatus(accessToken, key)).body).toMatchObject({
      sendStatus: 'PROCESSING',
      messageReadInfoList: [{ userId: 'user-1', readStatus: 'UNREAD' }],
    });
    clock += 1_000;
    expect((await readStatus(accessToken, key)).body).toMatchObject({
      sendStatus: 'SUCCESS',
      messageReadInfoList: [{ userId: 'user-1', readStatus: 'READ' }],
    });
  });

  it('validates readStatus parameters with its documented codes', async () => {
    const { accessToken, key } = await sent(['user-1']);
    const other = await sent(['user-1'], OTHER_APP);
    expect((await readStatus(accessToken, key, null)).body.code).toBe('invalidParameter.robotCode.missing');
    expect((await readStatus(accessToken, key, ' ')).body.code).toBe('invalidParameter.robotCode.empty');
    expect((await readStatus(accessToken, key, 'nobody')).body.code).toBe('invalidParameter.robotCode.notExsit');
    expect((await readStatus(accessToken, key, OTHER_APP.robotCode)).body.code).toBe('invalidParameter.robotCode.invalid');
    expect((await readStatus(accessToken, undefined)).body.code).toBe('invalidParameter.processQueryKey.missing');
    expect((await readStatus(accessToken, 'made-up')).body.code).toBe('invalid.processQueryKey');
    expect((await readStatus(accessToken, other.key)).body.code).toBe('invalid.processQueryKey');
    expect((await readStatus('bad-token', key)).body.code).toBe('InvalidAuthentication');
    // A key sent unencoded: its '+' arrives as a space and names nothing.
    const raw = await request(`${sim.url}/v1.0/robot/oToMessages/readStatus?robotCode=${DEV_APP.robotCode}&processQueryKey=${key}`, {
      method: 'GET',
      headers: { 'x-acs-dingtalk-access-token': accessToken },
    });
    expect(raw.status).toBe(key.includes('+') ? 400 : 200);
  });

  it('recalls keys, answers configured failures in failedResult, and readStatus then says RECALLED', async () => {
    const a = await sent(['user-1']);
    const b = await sent(['user-2']);
    const c = await sent(['user-3']);
    sim.configure({ readRecall: { recallFailures: { [c.key]: 'SYSTEM_ERROR' } } });
    sim.failRecall(b.key, 'system error');
    const res = await recall(a.accessToken, [a.key, b.key, c.key]);
    expect(res).toMatchObject({ status: 200, body: { successResult: [a.key], failedResult: { [b.key]: 'system error', [c.key]: 'SYSTEM_ERROR' } } });
    expect((await readStatus(a.accessToken, a.key)).body.sendStatus).toBe('RECALLED');
    expect((await readStatus(a.accessToken, b.key)).body.sendStatus).toBe('SUCCESS');
    // Recalling again is harmless.
    expect((await recall(a.accessToken, [a.key])).body).toEqual({ successResult: [a.key], failedResult: {} });
    expect(sim.recalls().map((r) => r.processQueryKeys)).toEqual([[a.key, b.key, c.key], [a.key]]);
    expect(sim.stats().batchRecall).toMatchObject({ calls: 2, succeeded: 2, keysRecalled: 2, keysFailed: 2 });
  });

  it('validates batchRecall with its documented codes; a refused call recalls nothing', async () => {
    const { accessToken, key } = await sent(['user-1']);
    const other = await sent(['user-1'], OTHER_APP);
    const keys21 = Array.from({ length: 21 }, () => key);
    expect((await recall(accessToken, keys21)).body.code).toBe('invalidParameter.processQueryKeys.overMax');
    expect((await recall(accessToken, [])).body.code).toBe('invalidParameter.processQueryKey.missing');
    expect((await recall(accessToken, [key], '')).body.code).toBe('invalidParameter.param.invalid');
    expect((await recall(accessToken, [key], 'nobody')).body.code).toBe('invalidParameter.robotCode');
    expect((await recall(accessToken, [key, 'made-up'])).body.code).toBe('invalid.processQueryKey');
    expect((await recall(accessToken, [key, other.key])).body.code).toBe('not.allowed.robotCode');
    expect(sim.recalls()).toEqual([]);
    expect((await readStatus(accessToken, key)).body.sendStatus).toBe('SUCCESS');
  });

  it('applies fault switches and the per-app QPS cap to readStatus and batchRecall', async () => {
    const { accessToken, key } = await sent(['user-1']);
    sim.injectFault({ api: 'readStatus', code: 'system.error' }, { api: 'batchRecall', code: 'system.error' });
    expect(await readStatus(accessToken, key)).toMatchObject({ status: 500, body: { code: 'system.error' } });
    expect(await recall(accessToken, [key])).toMatchObject({ status: 500, body: { code: 'system.error' } });
    sim.configure({ faults: { qpsLimitPerApp: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await readStatus(accessToken, key)).status);
    expect(statuses).toEqual([200, 200, 403]);
    expect((await recall(accessToken, [key])).status).toBe(200);
  });

  it('admin endpoints mark read, age, fail recalls and list calls', async () => {
    const { accessToken, key } = await sent(['user-1', 'user-2']);
    expect((await postJson(`${sim.url}/__sim/messages/read`, { processQueryKey: key, userIds: ['user-1'] })).status).toBe(200);
    expect((await postJson(`${sim.url}/__sim/messages/read`, { processQueryKey: 'nope' })).status).toBe(404);
    expect((await postJson(`${sim.url}/__sim/messages/recall-failure`, { processQueryKey: key, reason: 'SYSTEM_ERROR' })).status).toBe(200);
    const body = (await readStatus(accessToken, key)).body.messageReadInfoList as { readStatus: string }[];
    expect(body.map((i) => i.readStatus)).toEqual(['READ', 'UNREAD']);
    expect((await recall(accessToken, [key])).body).toEqual({ successResult: [], failedResult: { [key]: 'SYSTEM_ERROR' } });
    expect((await postJson(`${sim.url}/__sim/messages/age`, { processQueryKey: key, ms: 24 * HOUR })).status).toBe(200);
    expect((await readStatus(accessToken, key)).body.code).toBe('processQueryKey.expireTime');
    const recalls = await request(`${sim.url}/__sim/messages/recalls`, { method: 'GET' });
    expect(recalls.body.recalls).toHaveLength(1);
    const calls = await request(`${sim.url}/__sim/messages/read-status-calls`, { method: 'GET' });
    expect((calls.body.calls as { outcome: string }[]).map((c) => c.outcome)).toEqual(['SUCCESS', 'processQueryKey.expireTime']);
  });
});
