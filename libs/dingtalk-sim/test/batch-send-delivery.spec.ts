import { DEV_APP, messageFingerprint, startDingTalkSimulator, type DingTalkSimulator } from '../src/index.js';
import { batchSend, textSend, token } from './sim-client.js';

describe('batchSend delivery, partial success and the ledger', () => {
  let sim: DingTalkSimulator;
  let accessToken: string;

  beforeAll(async () => {
    sim = await startDingTalkSimulator({ flowControl: { userIds: ['user-7'], times: 2 } });
  });
  beforeEach(async () => {
    sim.reset();
    accessToken = await token(sim);
  });
  afterAll(() => sim.close());

  it('answers 200 with unknown users in invalidStaffIdList and delivers only to the rest', async () => {
    const res = await batchSend(sim, accessToken, textSend(['user-1', 'manager25231', 'user-2', 'ghost']));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      processQueryKey: expect.any(String),
      invalidStaffIdList: ['manager25231', 'ghost'],
      flowControlledStaffIdList: [],
    });
    expect(res.body).not.toHaveProperty('filteredStaffIdList');
    const delivered = sim.ledger.deliveries({ processQueryKey: res.body.processQueryKey as string });
    expect(delivered.deliveries.map((d) => d.userId)).toEqual(['user-1', 'user-2']);
    expect(sim.ledger.countFor('ghost')).toBe(0);
  });

  it('answers 200 with an empty delivery when every user is invalid', async () => {
    const res = await batchSend(sim, accessToken, textSend(['nobody', 'no-one']));
    expect(res.status).toBe(200);
    expect(res.body.invalidStaffIdList).toEqual(['nobody', 'no-one']);
    expect(sim.ledger.summary()).toMatchObject({ deliveries: 0, calls: 1 });
  });

  it('issues a unique, opaque base64 processQueryKey per accepted call', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await batchSend(sim, accessToken, textSend(['user-1'], 'same message'));
      keys.add(res.body.processQueryKey as string);
    }
    expect(keys.size).toBe(30);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('flow-controls a configured user for the first N sends (not delivered), then delivers', async () => {
    const outcomes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await batchSend(sim, accessToken, textSend(['user-7', 'user-8']));
      outcomes.push(res.body.flowControlledStaffIdList);
    }
    expect(outcomes).toEqual([['user-7'], ['user-7'], []]);
    expect(sim.ledger.countFor('user-7')).toBe(1);
    expect(sim.ledger.countFor('user-8')).toBe(3);
    expect(sim.stats().batchSend).toMatchObject({ flowControlled: 2, delivered: 4 });
  });

  it('restarts flow control on reset()', async () => {
    await batchSend(sim, accessToken, textSend(['user-7']));
    await batchSend(sim, accessToken, textSend(['user-7']));
    sim.reset();
    const fresh = await token(sim);
    const res = await batchSend(sim, fresh, textSend(['user-7']));
    expect(res.body.flowControlledStaffIdList).toEqual(['user-7']);
  });

  it('records each delivery with robot, template, parsed msgParam, key, time and fingerprint', async () => {
    const msgParam = JSON.stringify({ title: 'Q3', text: '**all hands**' });
    const res = await batchSend(sim, accessToken, {
      robotCode: DEV_APP.robotCode,
      userIds: ['user-1'],
      msgKey: 'sampleMarkdown',
      msgParam,
    });
    const [delivery] = sim.ledger.deliveries({ userId: 'user-1' }).deliveries;
    expect(delivery).toEqual({
      seq: 1,
      userId: 'user-1',
      appKey: DEV_APP.appKey,
      robotCode: DEV_APP.robotCode,
      msgKey: 'sampleMarkdown',
      msgParam: { title: 'Q3', text: '**all hands**' },
      processQueryKey: res.body.processQueryKey,
      fingerprint: messageFingerprint(DEV_APP.robotCode, 'sampleMarkdown', { text: '**all hands**', title: 'Q3' }),
      deliveredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('counts duplicates: the same user receiving the same message twice, key order notwithstanding', async () => {
    await batchSend(sim, accessToken, { ...textSend(['user-1', 'user-2']), msgParam: '{"content":"pay day","x":"1"}' });
    // A retry that re-serialised msgParam with another key order is still the same message to the user.
    const retry = await batchSend(sim, accessToken, { ...textSend(['user-2', 'user-3']), msgParam: '{"x":"1","content":"pay day"}' });
    await batchSend(sim, accessToken, textSend(['user-2'], 'something else'));

    expect(sim.ledger.summary()).toEqual({
      deliveries: 5,
      distinctUsers: 3,
      calls: 3,
      distinctMessages: 2,
      duplicatePairs: 1,
      duplicateDeliveries: 1,
    });
    const [dup] = sim.ledger.duplicates();
    expect(dup).toMatchObject({ userId: 'user-2', count: 2 });
    expect(dup!.processQueryKeys).toContain(retry.body.processQueryKey);
    expect(sim.ledger.countFor('user-2')).toBe(3);
    expect(sim.ledger.countOf('user-2', dup!.fingerprint)).toBe(2);
    expect(sim.ledger.deliveries({ fingerprint: dup!.fingerprint }).total).toBe(4);
  });

  it('keeps duplicate counts right for users with many deliveries', async () => {
    for (let i = 0; i < 12; i++) await batchSend(sim, accessToken, textSend(['user-1'], `m${i % 6}`));
    expect(sim.ledger.summary()).toMatchObject({ deliveries: 12, distinctMessages: 6, duplicatePairs: 6, duplicateDeliveries: 6 });
    expect(sim.ledger.duplicates().every((d) => d.count === 2)).toBe(true);
  });

  it('delivers once to a user named twice in one call and counts the repetition', async () => {
    const res = await batchSend(sim, accessToken, textSend(['user-1', 'user-1', 'user-2']));
    expect(res.status).toBe(200);
    expect(sim.ledger.countFor('user-1')).toBe(1);
    expect(sim.stats().batchSend.repeatedUserIdsInCall).toBe(1);
  });

  it('reports filtered users in filteredStaffIdList only when filtering is configured', async () => {
    sim.configure({ filteredUserIds: ['user-5'] });
    const res = await batchSend(sim, accessToken, textSend(['user-5', 'user-6', 'nobody']));
    expect(res.body).toEqual({
      processQueryKey: expect.any(String),
      invalidStaffIdList: ['nobody'],
      flowControlledStaffIdList: [],
      filteredStaffIdList: ['user-5'],
    });
    expect(sim.ledger.countFor('user-5')).toBe(0);
    expect(sim.ledger.call(res.body.processQueryKey as string)).toMatchObject({
      delivered: ['user-6'],
      invalid: ['nobody'],
      filtered: ['user-5'],
      flowControlled: [],
    });
  });

  it('uses an explicit user directory when given ids instead of a pattern', async () => {
    sim.configure({ users: { ids: ['alice', 'bob'] } });
    const res = await batchSend(sim, accessToken, textSend(['alice', 'user-1', 'bob']));
    expect(res.body.invalidStaffIdList).toEqual(['user-1']);
  });

  it('pages ledger queries with offset and limit', async () => {
    await batchSend(sim, accessToken, textSend(['user-1', 'user-2', 'user-3', 'user-4']));
    const page = sim.ledger.deliveries({}, { offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.deliveries.map((d) => [d.seq, d.userId])).toEqual([
      [2, 'user-2'],
      [3, 'user-3'],
    ]);
  });
});
