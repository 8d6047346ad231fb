import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { batchSend, postJson, request, textSend, token } from './sim-client.js';

/** The HTTP twin of the in-process API, for tests that drive dingrelay in another process. */
describe('admin endpoints under /__sim', () => {
  let sim: DingTalkSimulator;
  const get = (path: string) => request(`${sim.url}${path}`, { method: 'GET' });

  beforeAll(async () => {
    sim = await startDingTalkSimulator();
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('serves health', async () => {
    const res = await get('/__sim/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(res.headers.get('server')).toBe('DingTalk/1.0.0');
  });

  it('filters the ledger by userId, processQueryKey (URL-encoded) and fingerprint', async () => {
    const accessToken = await token(sim);
    const first = await batchSend(sim, accessToken, textSend(['user-1', 'user-2'], 'a'));
    await batchSend(sim, accessToken, textSend(['user-2'], 'b'));
    const pqk = first.body.processQueryKey as string;

    const byUser = await get('/__sim/ledger?userId=user-2');
    expect(byUser.body.total).toBe(2);
    const byKey = await get(`/__sim/ledger?processQueryKey=${encodeURIComponent(pqk)}`);
    expect((byKey.body.deliveries as Array<{ userId: string }>).map((d) => d.userId)).toEqual(['user-1', 'user-2']);
    const fingerprint = (byKey.body.deliveries as Array<{ fingerprint: string }>)[0]!.fingerprint;
    const byFingerprint = await get(`/__sim/ledger?fingerprint=${fingerprint}&userId=user-1`);
    expect(byFingerprint.body).toMatchObject({ total: 1, deliveries: [{ userId: 'user-1', msgParam: { content: 'a' } }] });
    const paged = await get('/__sim/ledger?limit=1&offset=2');
    expect(paged.body).toMatchObject({ total: 3, offset: 2, limit: 1, deliveries: [{ seq: 3 }] });
  });

  it('serves summary, duplicates, per-user counts and the call behind a processQueryKey', async () => {
    const accessToken = await token(sim);
    const sent = await batchSend(sim, accessToken, textSend(['user-1', 'nobody'], 'same'));
    await batchSend(sim, accessToken, textSend(['user-1'], 'same'));

    expect((await get('/__sim/ledger/summary')).body).toEqual({
      deliveries: 2,
      distinctUsers: 1,
      calls: 2,
      distinctMessages: 1,
      duplicatePairs: 1,
      duplicateDeliveries: 1,
    });
    expect((await get('/__sim/ledger/duplicates')).body).toMatchObject({ duplicates: [{ userId: 'user-1', count: 2 }] });
    expect((await get('/__sim/ledger/counts?userId=user-1&userId=user-9')).body).toEqual({ counts: { 'user-1': 2, 'user-9': 0 } });
    const call = await get(`/__sim/ledger/calls?processQueryKey=${encodeURIComponent(sent.body.processQueryKey as string)}`);
    expect(call.body).toMatchObject({ delivered: ['user-1'], invalid: ['nobody'], msgKey: 'sampleText' });
    expect((await get('/__sim/ledger/calls')).body).toMatchObject({ total: 2 });
    expect((await get('/__sim/ledger/calls?processQueryKey=nope')).status).toBe(404);
  });

  it('serves stats with per-code error counts', async () => {
    const accessToken = await token(sim);
    await batchSend(sim, accessToken, textSend(['user-1']));
    await batchSend(sim, 'bad-token', textSend(['user-1']));
    await batchSend(sim, accessToken, { ...textSend(['user-1']), msgKey: 'nope' });
    const stats = (await get('/__sim/stats')).body;
    expect(stats).toMatchObject({
      accessToken: { calls: 1, succeeded: 1, issued: 1 },
      batchSend: { calls: 3, succeeded: 1, failed: 2, delivered: 1 },
      errorsByCode: { InvalidAuthentication: 1, 'invalidParameter.msgKey.invalid': 1 },
    });
    // Only authenticated calls count towards an app's pacing.
    expect(Object.keys(stats.peakBatchSendPerSecondByApp as object)).toEqual([DEV_APP.appKey]);
  });

  it('expires tokens over HTTP', async () => {
    const accessToken = await token(sim);
    const res = await postJson(`${sim.url}/__sim/tokens/expire`, {});
    expect(res.body).toEqual({ expired: 1 });
    expect((await batchSend(sim, accessToken, textSend(['user-1']))).body.code).toBe('InvalidAuthentication');
  });

  it('reconfigures at runtime, masks secrets, and rejects bad config with 400', async () => {
    const res = await postJson(`${sim.url}/__sim/config`, { maxUserIdsPerCall: 2, flowControl: { userIds: ['user-3'] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ maxUserIdsPerCall: 2, apps: [{ appKey: DEV_APP.appKey, appSecret: '******' }] });
    const accessToken = await token(sim);
    expect((await batchSend(sim, accessToken, textSend(['user-1', 'user-2', 'user-4']))).body.code).toBe('invalidParameter.userIds.overMax');
    expect((await batchSend(sim, accessToken, textSend(['user-3']))).body.flowControlledStaffIdList).toEqual(['user-3']);

    const bad = await postJson(`${sim.url}/__sim/config`, { maxUserIdz: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'sim.invalidRequest', message: expect.stringContaining('maxUserIdz') });
    expect((await get('/__sim/config')).body).toMatchObject({ maxUserIdsPerCall: 2 });
  });

  it('resets ledger, stats, tokens and config over HTTP', async () => {
    sim.configure({ maxUserIdsPerCall: 1 });
    const accessToken = await token(sim);
    await batchSend(sim, accessToken, textSend(['user-1']));
    expect((await postJson(`${sim.url}/__sim/reset`, {})).body).toEqual({ status: 'ok' });
    expect(sim.ledger.size).toBe(0);
    expect(sim.stats().batchSend.calls).toBe(0);
    expect(sim.settings().maxUserIdsPerCall).toBe(20);
    expect((await batchSend(sim, accessToken, textSend(['user-1']))).body.code).toBe('InvalidAuthentication');
  });

  it('does not count admin traffic in DingTalk stats and 404s unknown admin paths', async () => {
    await get('/__sim/health');
    const res = await get('/__sim/nope');
    expect(res).toMatchObject({ status: 404, body: { code: 'sim.notFound' } });
    expect(sim.stats().requests).toBe(0);
  });
});
