import { DEV_APP, type DingTalkSimulator, startDingTalkSimulator } from '@dingrelay/dingtalk-sim';
import { DingTalkApi, DingTalkTransportError, TransportFailure } from './dingtalk-api.error.js';
import { DingTalkClient } from './dingtalk.client.js';
import { type CallPacer, DEFAULT_PACED_CALLS_PER_SECOND, DINGTALK_CALLS_PER_SECOND_LIMIT, InProcessPacer } from './in-process-pacer.js';

const APP = { appKey: DEV_APP.appKey, appSecret: DEV_APP.appSecret };
const TEXT = { robotCode: DEV_APP.robotCode, msgKey: 'sampleText', msgParam: { content: 'hello' } };
const QPS_THROTTLED = 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi';
/** A pace so slow that a second call never gets its slot during a test. */
const ONCE_A_MINUTE = 1 / 60;

let sim: DingTalkSimulator | undefined;
const clients: DingTalkClient[] = [];
const controllers: AbortController[] = [];

afterEach(async () => {
  // Waiters left in a pacer would keep its timer alive.
  for (const c of controllers.splice(0)) c.abort();
  for (const c of clients.splice(0)) c.close();
  await sim?.close();
  sim = undefined;
});

function newClient(pacer: CallPacer | undefined): DingTalkClient {
  const c = new DingTalkClient({ baseUrl: sim!.url, pacer });
  clients.push(c);
  return c;
}

function controller(): AbortController {
  const c = new AbortController();
  controllers.push(c);
  return c;
}

const sendTo = (c: DingTalkClient, n: number) =>
  Promise.allSettled(Array.from({ length: n }, (_, i) => c.batchSendOTO(APP, { ...TEXT, userIds: [`user-${i}`] })));

describe('InProcessPacer with the client', () => {
  it('keeps ten concurrent sends within a 6/s limit by spacing them at 5/s, where unpaced they are throttled', async () => {
    sim = await startDingTalkSimulator({ faults: { qpsLimitPerApp: 6 } });

    const unpaced = newClient(undefined);
    await unpaced.getAccessToken(APP);
    const burst = await sendTo(unpaced, 10);
    expect(burst.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(sim.stats().errorsByCode[QPS_THROTTLED]).toBeGreaterThan(0);

    sim.reset();
    const paced = newClient(new InProcessPacer({ callsPerSecond: 5 }));
    await paced.getAccessToken(APP);
    const results = await sendTo(paced, 10);

    expect(results.map((r) => r.status)).toEqual(Array(10).fill('fulfilled'));
    expect(sim.stats().errorsByCode[QPS_THROTTLED]).toBeUndefined();
    const accepted = sim.ledger.allCalls().map((c) => Date.parse(c.acceptedAt));
    expect(accepted).toHaveLength(10);
    // Nine 200 ms gaps: 1.8 s by the simulator's clock. The margin absorbs arrival jitter; a missing pacer is ~0 s.
    expect(Math.max(...accepted) - Math.min(...accepted)).toBeGreaterThanOrEqual(1_500);
  });

  it('takes a slot for every attempt of a paced call, the retry after a rejected token included, and none for token fetches', async () => {
    sim = await startDingTalkSimulator();
    const acquired: Array<[string, DingTalkApi]> = [];
    // A CallPacer of one's own (as a shared-store pacer would be) that lets everything through and records it.
    const recording: CallPacer = {
      acquire: (appKey, api) => {
        acquired.push([appKey, api]);
        return Promise.resolve();
      },
    };
    const c = newClient(recording);
    await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });
    sim.expireAllTokens();
    await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] });

    expect(sim.stats().accessToken.calls).toBe(2);
    expect(acquired).toEqual([
      [APP.appKey, DingTalkApi.BatchSendOTO],
      [APP.appKey, DingTalkApi.BatchSendOTO],
      [APP.appKey, DingTalkApi.BatchSendOTO],
    ]);
  });

  it('a send aborted while waiting for its slot fails as aborted-before-sending and never reaches DingTalk', async () => {
    sim = await startDingTalkSimulator();
    const c = newClient(new InProcessPacer({ callsPerSecond: ONCE_A_MINUTE }));
    await c.batchSendOTO(APP, { ...TEXT, userIds: ['user-1'] });

    const abort = controller();
    const pending = c.batchSendOTO(APP, { ...TEXT, userIds: ['user-2'] }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    const e = await pending.then(
      () => undefined,
      (err: unknown) => err,
    );

    expect(e).toBeInstanceOf(DingTalkTransportError);
    expect(e).toMatchObject({ failure: TransportFailure.Aborted, requestSent: false, ambiguous: false });
    expect(sim.ledger.countFor('user-2')).toBe(0);
    expect(sim.stats().batchSend.calls).toBe(1);
  });
});

describe('InProcessPacer', () => {
  it('serves waiters first come, first served', async () => {
    const pacer = new InProcessPacer({ callsPerSecond: 50 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => pacer.acquire('app', DingTalkApi.BatchSendOTO).then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('paces each app and each API separately', async () => {
    const pacer = new InProcessPacer({ callsPerSecond: ONCE_A_MINUTE });
    await pacer.acquire('app-a', DingTalkApi.BatchSendOTO);
    const stuck = controller();
    const waiting = pacer.acquire('app-a', DingTalkApi.BatchSendOTO, stuck.signal).catch((e: unknown) => e);

    // Neither waits a minute behind app-a's batchSend: the test would time out if they did.
    await pacer.acquire('app-b', DingTalkApi.BatchSendOTO);
    await pacer.acquire('app-a', DingTalkApi.ReadStatus);

    stuck.abort(new Error('test over'));
    expect(await waiting).toEqual(new Error('test over'));
  });

  it('takes per-API rates, other APIs getting the default', async () => {
    const pacer = new InProcessPacer({ callsPerSecond: { [DingTalkApi.BatchRecall]: ONCE_A_MINUTE } });
    await pacer.acquire('app', DingTalkApi.BatchRecall);
    const stuck = controller();
    const recall = pacer.acquire('app', DingTalkApi.BatchRecall, stuck.signal).then(
      () => 'slot',
      () => 'aborted',
    );
    // At the default 18/s two readStatus calls are 56 ms apart.
    await pacer.acquire('app', DingTalkApi.ReadStatus);
    await pacer.acquire('app', DingTalkApi.ReadStatus);
    stuck.abort();
    expect(await recall).toBe('aborted');
  });

  it('an aborted waiter leaves the queue with the signal reason and gives its slot to the next', async () => {
    const pacer = new InProcessPacer({ callsPerSecond: 10 });
    await pacer.acquire('app', DingTalkApi.BatchSendOTO);
    const first = controller();
    const order: string[] = [];
    const aborted = pacer.acquire('app', DingTalkApi.BatchSendOTO, first.signal).then(
      () => order.push('aborted-one'),
      (e: unknown) => {
        order.push('aborted-one rejected');
        return e;
      },
    );
    const next = pacer.acquire('app', DingTalkApi.BatchSendOTO).then(() => order.push('next'));
    const reason = new Error('shutting down');
    first.abort(reason);

    expect(await aborted).toBe(reason);
    await next;
    expect(order).toEqual(['aborted-one rejected', 'next']);
  });

  it('refuses an already aborted signal without queueing', async () => {
    const pacer = new InProcessPacer({ callsPerSecond: ONCE_A_MINUTE });
    const gone = controller();
    gone.abort(new Error('already gone'));
    await expect(pacer.acquire('app', DingTalkApi.BatchSendOTO, gone.signal)).rejects.toThrow('already gone');
    // The refused call used no slot: the first real one goes at once.
    await pacer.acquire('app', DingTalkApi.BatchSendOTO);
  });

  it('defaults below DingTalk’s documented limit and rejects rates that cannot pace', () => {
    expect(DEFAULT_PACED_CALLS_PER_SECOND).toBeLessThan(DINGTALK_CALLS_PER_SECOND_LIMIT);
    expect(() => new InProcessPacer({ callsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new InProcessPacer({ callsPerSecond: -1 })).toThrow('positive number');
    expect(() => new InProcessPacer({ callsPerSecond: Number.NaN })).toThrow(RangeError);
    expect(() => new InProcessPacer({ callsPerSecond: { 'robot.sendEverything': 5 } as never })).toThrow('unknown DingTalk API');
  });
});
