import { DEV_APP, startDingTalkSimulator, type DingTalkSimulator, type SimulatorOptions } from '../src/index.js';
import { batchSend, postJson, requestToken, textSend, token } from './sim-client.js';

describe('fault switches', () => {
  let sim: DingTalkSimulator;
  let clock = 0;
  const started: DingTalkSimulator[] = [];

  async function start(options: SimulatorOptions = {}): Promise<DingTalkSimulator> {
    const s = await startDingTalkSimulator({ now: () => clock, ...options });
    started.push(s);
    return s;
  }

  beforeAll(async () => {
    sim = await start();
  });
  beforeEach(() => {
    clock = 5_000_000;
    sim.reset();
  });
  afterAll(() => Promise.all(started.map((s) => s.close())));

  it('caps batchSend calls per app in a sliding second with 403 QpsLimitForAppkeyAndApi', async () => {
    sim.configure({ faults: { qpsLimitPerApp: 3 } });
    const accessToken = await token(sim);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await batchSend(sim, accessToken, textSend(['user-1']))).status);
    expect(statuses).toEqual([200, 200, 200, 403]);
    const throttled = await batchSend(sim, accessToken, textSend(['user-1']));
    expect(throttled.body.code).toBe('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
    clock += 1000;
    expect((await batchSend(sim, accessToken, textSend(['user-1']))).status).toBe(200);
    expect(sim.ledger.size).toBe(4);
    expect(sim.stats().faultsInjected).toEqual({ 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi': 2 });
  });

  it('reports the peak batchSend calls per app in any sliding second, the pacing a sender achieved', async () => {
    const accessToken = await token(sim);
    for (let i = 0; i < 3; i++) await batchSend(sim, accessToken, textSend(['user-1']));
    clock += 999;
    await batchSend(sim, accessToken, textSend(['user-1']));
    clock += 1;
    await batchSend(sim, accessToken, textSend(['user-1']));
    expect(sim.stats().peakBatchSendPerSecondByApp).toEqual({ [DEV_APP.appKey]: 4 });
  });

  it('enforces a monthly quota per app with 403 ApiCountLimitForOrg; token calls and throttled calls are free', async () => {
    sim.configure({ faults: { monthlyQuotaPerApp: 2, qpsLimitPerApp: 1 } });
    const accessToken = await token(sim);
    await token(sim);
    expect((await batchSend(sim, accessToken, textSend(['user-1']))).status).toBe(200);
    // Throttled by QPS → not charged.
    expect((await batchSend(sim, accessToken, textSend(['user-1']))).status).toBe(403);
    clock += 1000;
    // Failing validation is still a charged call.
    expect((await batchSend(sim, accessToken, { ...textSend(['user-1']), msgKey: 'nope' })).status).toBe(400);
    clock += 1000;
    const over = await batchSend(sim, accessToken, textSend(['user-1']));
    expect(over).toMatchObject({ status: 403, body: { code: 'Forbidden.AccessDenied.ApiCountLimitForOrg' } });
    expect(sim.stats().quotaUsedByApp).toEqual({ [DEV_APP.appKey]: 2 });
  });

  it('plays scripted faults in order, then behaves normally', async () => {
    const accessToken = await token(sim);
    sim.injectFault({ code: 'system.busy', times: 2 }, { code: 'send.too.fast' }, { status: 500 });
    const answers: Array<[number, unknown]> = [];
    for (let i = 0; i < 5; i++) {
      const res = await batchSend(sim, accessToken, textSend(['user-1']));
      answers.push([res.status, res.body.code]);
    }
    expect(answers).toEqual([
      [429, 'system.busy'],
      [429, 'system.busy'],
      [400, 'send.too.fast'],
      [500, 'system.error'],
      [200, undefined],
    ]);
    expect(sim.ledger.size).toBe(1);
  });

  it('can deliver and then fail: the ambiguous outcome', async () => {
    const accessToken = await token(sim);
    sim.injectFault({ afterDelivery: true, code: 'system.error' });
    const res = await batchSend(sim, accessToken, textSend(['user-1']));
    expect(res).toMatchObject({ status: 500, body: { code: 'system.error' } });
    expect(sim.ledger.countFor('user-1')).toBe(1);
    // The sender retries blindly: the ledger shows the duplicate.
    await batchSend(sim, accessToken, textSend(['user-1']));
    expect(sim.ledger.summary().duplicateDeliveries).toBe(1);
  });

  it('can hang before or after delivering, and close() still returns promptly', async () => {
    const s = await start();
    const accessToken = await token(s);
    s.injectFault({ hang: true }, { hang: true, afterDelivery: true });
    const send = (user: string) =>
      fetch(`${s.url}/v1.0/robot/oToMessages/batchSend`, {
        method: 'POST',
        headers: { 'x-acs-dingtalk-access-token': accessToken, 'content-type': 'application/json' },
        body: JSON.stringify(textSend([user])),
        signal: AbortSignal.timeout(200),
      });
    await expect(send('user-1')).rejects.toThrow();
    await expect(send('user-2')).rejects.toThrow();
    expect(s.ledger.countFor('user-1')).toBe(0);
    expect(s.ledger.countFor('user-2')).toBe(1);
    expect(s.stats().batchSend.hung).toBe(2);

    s.injectFault({ hang: true });
    const pending = send('user-3').catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await s.close();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(await pending).toBe('aborted');
  });

  it('draws random faults from a seeded PRNG: same seed, same sequence', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const s = await start({ faults: { seed, systemBusyRate: 0.3, systemErrorRate: 0.2 } });
      const accessToken = await token(s);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await batchSend(s, accessToken, textSend(['user-1']))).status);
      await s.close();
      return statuses;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 429, 500]));
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(8);
  });

  it('reports the seed it chose when none was given', () => {
    expect(Number.isInteger(sim.stats().faultSeed)).toBe(true);
  });

  it('applies random rates only to the configured APIs', async () => {
    sim.configure({ faults: { systemBusyRate: 1 } });
    expect((await requestToken(sim)).status).toBe(200);
    sim.configure({ faults: { systemBusyRate: 1, apis: ['accessToken'] } });
    expect((await requestToken(sim)).body.code).toBe('system.busy');
  });

  it('flow-controls a seeded fraction of recipients with flowControl.rate', async () => {
    sim.configure({ flowControl: { rate: 0.5 }, faults: { seed: 7 } });
    const accessToken = await token(sim);
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const res = await batchSend(sim, accessToken, textSend(users));
    const throttled = res.body.flowControlledStaffIdList as string[];
    expect(throttled.length).toBeGreaterThan(2);
    expect(throttled.length).toBeLessThan(18);
    expect(sim.ledger.size).toBe(20 - throttled.length);
  });

  it('adds latency before answering', async () => {
    const s = await start({ faults: { latencyMs: 150 }, now: Date.now });
    const accessToken = await token(s);
    const t0 = Date.now();
    expect((await batchSend(s, accessToken, textSend(['user-1']))).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('accepts fault settings and scripted faults over HTTP', async () => {
    const accessToken = await token(sim);
    const injected = await postJson(`${sim.url}/__sim/faults/inject`, [{ code: 'system.busy' }, { code: 'send.too.fast', times: 2 }]);
    expect(injected.body).toEqual({ pending: 3 });
    expect((await batchSend(sim, accessToken, textSend(['user-1']))).body.code).toBe('system.busy');
    const bad = await postJson(`${sim.url}/__sim/faults/inject`, { status: 200 });
    expect(bad.status).toBe(400);
    const configured = await postJson(`${sim.url}/__sim/config`, { faults: { qpsLimitPerApp: 20, seed: 1 } });
    expect(configured.body).toMatchObject({ faults: { qpsLimitPerApp: 20, seed: 1 } });
  });
});
