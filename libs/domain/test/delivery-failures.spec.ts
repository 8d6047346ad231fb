import { DeliveryPolicy, RecipientReason } from '@dingrelay/contracts';
import { DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness, msBetween, UNINSTALLED_ROBOT } from './support/delivery-harness.js';

/**
 * DingTalk refusing, throttling and half-accepting calls, against a real worker, real Postgres and Redis and the
 * simulator. Each test makes its own send to its own fresh users, then reads the rows and the simulator's ledger.
 */
describe('deliver-batch when DingTalk refuses, throttles or filters', () => {
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'failures' });
    await h.startWorker({ maxAttempts: 3, flowControlMaxAttempts: 3 });
  });

  afterEach(() => {
    // Back to a well-behaved DingTalk; each test has already waited for its own send to settle.
    h.sim.configure({ faults: {}, filteredUserIds: [], flowControl: {} });
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('a permanent error', () => {
    it('fails every recipient of every batch with DingTalk’s code and message, once, without retrying', async () => {
      const users = h.users(25);
      const before = h.batchSendStats();
      const send = await h.createSend({ userIds: users, configuration: UNINSTALLED_ROBOT });
      expect(send.batches).toBe(2);

      const recipients = await h.settled(send.id);
      const message = '机器人不存在,请检查企业内是否安装了robotCode对应的机器人';
      expect(recipients).toHaveLength(25);
      for (const r of recipients) {
        expect(r).toMatchObject({
          status: 'failed',
          reason_code: 'invalidParameter.robotCode.notExsit',
          reason_message: message,
          attempts: 1,
          process_query_key: null,
        });
      }
      const batches = await h.batches(send.id);
      expect(batches.map((b) => [b.status, b.attempts, b.ambiguous_attempts, b.last_error_code, b.last_error_message])).toEqual([
        ['failed', 1, 0, 'invalidParameter.robotCode.notExsit', message],
        ['failed', 1, 0, 'invalidParameter.robotCode.notExsit', message],
      ]);

      // One call per batch and no more, even given time for a retry (the fastest retry class waits 1 s).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const after = h.batchSendStats();
      expect(after.calls - before.calls).toBe(2);
      expect(errorsSince(before, after)).toEqual({ 'invalidParameter.robotCode.notExsit': 2 });
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(0);
      expect((await h.send(send.id)).completed_at).not.toBeNull();
    }, DELIVERY_TEST_TIMEOUT_MS);

    it('a scripted 400 (robot not allowed to send 1:1) fails the batch with the code and message DingTalk sent', async () => {
      const users = h.users(5);
      h.sim.injectFault({ code: 'chatbotId.notAllow.sendOTO', status: 400, message: '机器人未开启单聊主动推送' });
      const before = h.batchSendStats();
      const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtLeastOnce });

      for (const r of await h.settled(send.id)) {
        expect(r).toMatchObject({
          status: 'failed',
          reason_code: 'chatbotId.notAllow.sendOTO',
          reason_message: '机器人未开启单聊主动推送',
          attempts: 1,
          process_query_key: null,
        });
      }
      const [batch] = await h.batches(send.id);
      expect(batch).toMatchObject({ status: 'failed', attempts: 1, ambiguous_attempts: 0, last_error_code: 'chatbotId.notAllow.sendOTO' });
      expect(h.batchSendStats().calls - before.calls).toBe(1);
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(0);
    }, DELIVERY_TEST_TIMEOUT_MS);
  });

  describe('a transient error', () => {
    it('429 system.busy twice: retried after backing off ≥ 1 s each time, then delivered exactly once each', async () => {
      const users = h.users(5);
      h.sim.injectFault({ code: 'system.busy', times: 2 });
      const before = h.batchSendStats();
      // 429 means DingTalk refused the call, so even an at-most-once send may retry it.
      const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtMostOnce });

      const recipients = await h.settled(send.id);
      const [batch] = await h.batches(send.id);
      expect(batch).toMatchObject({ status: 'sent', attempts: 3, ambiguous_attempts: 0, last_error_code: null });
      expect(batch!.process_query_key).toEqual(expect.any(String));
      // Two waits of at least the transient floor (1 s) between the three calls.
      expect(msBetween((await h.send(send.id)).created_at, batch!.sent_at!)).toBeGreaterThanOrEqual(2_000);

      for (const r of recipients) {
        // Every call named the user, the refused ones too.
        expect(r).toMatchObject({
          status: 'delivered', reason_code: null, reason_message: null, attempts: 3, process_query_key: batch!.process_query_key,
        });
      }
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect(h.sim.ledger.call(batch!.process_query_key!)?.delivered).toEqual(users);
      const after = h.batchSendStats();
      expect(after.calls - before.calls).toBe(3);
      expect(errorsSince(before, after)).toEqual({ 'system.busy': 2 });
    }, DELIVERY_TEST_TIMEOUT_MS);

    it('500 system.error once (nothing delivered): an at-least-once send retries and delivers exactly once; the call is counted as ambiguous', async () => {
      const users = h.users(5);
      h.sim.injectFault({ code: 'system.error', status: 500 });
      const before = h.batchSendStats();
      const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtLeastOnce });

      const recipients = await h.settled(send.id);
      const [batch] = await h.batches(send.id);
      // A 5xx on batchSend may come after DingTalk acted: the client calls it ambiguous, and the batch counts it.
      expect(batch).toMatchObject({ status: 'sent', attempts: 2, ambiguous_attempts: 1, last_error_code: null });
      for (const r of recipients) expect(r).toMatchObject({ status: 'delivered', attempts: 2, process_query_key: batch!.process_query_key });
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect(h.sim.ledger.summary().duplicateDeliveries).toBe(0);
      expect(h.batchSendStats().calls - before.calls).toBe(2);
    }, DELIVERY_TEST_TIMEOUT_MS);

    it('only the batch that hit the error is retried; the other batches of the send are sent once', async () => {
      const users = h.users(45);
      h.sim.injectFault({ code: 'system.busy' });
      const before = h.batchSendStats();
      const send = await h.createSend({ userIds: users });

      const recipients = await h.settled(send.id);
      const batches = await h.batches(send.id);
      expect(batches.map((b) => b.attempts).sort()).toEqual([1, 1, 2]);
      // Each recipient's attempts are its own batch's calls.
      const attemptsOf = new Map(batches.map((b) => [b.id, b.attempts]));
      for (const r of recipients) expect(r).toMatchObject({ status: 'delivered', attempts: attemptsOf.get(r.batch_id) });
      expect(batches.every((b) => b.status === 'sent' && b.ambiguous_attempts === 0)).toBe(true);
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect(h.batchSendStats().calls - before.calls).toBe(4);
    }, DELIVERY_TEST_TIMEOUT_MS);
  });

  describe('retries exhausted', () => {
    it('DingTalk busy on every call: the batch gives up after maxAttempts (3) calls and fails naming the last code', async () => {
      h.sim.configure({ faults: { systemBusyRate: 1 } });
      const users = h.users(5);
      const before = h.batchSendStats();
      const send = await h.createSend({ userIds: users });

      const recipients = await h.settled(send.id);
      for (const r of recipients) {
        expect(r).toMatchObject({ status: 'failed', reason_code: 'system.busy', attempts: 3, process_query_key: null });
        expect(r.reason_message).toBe('系统繁忙,请稍后重试 (gave up after 3 attempts)');
      }
      const [batch] = await h.batches(send.id);
      expect(batch).toMatchObject({ status: 'failed', attempts: 3, ambiguous_attempts: 0, last_error_code: 'system.busy' });
      expect(batch!.last_error_message).toContain('gave up after 3 attempts');

      const after = h.batchSendStats();
      expect(after.calls - before.calls).toBe(3);
      expect(errorsSince(before, after)).toEqual({ 'system.busy': 3 });
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(0);
      expect((await h.send(send.id)).completed_at).not.toBeNull();
    }, DELIVERY_TEST_TIMEOUT_MS);
  });

  describe('per-user outcomes of a 200', () => {
    it('filtered users fail, users flow-controlled past the limit fail, the rest of the batch is delivered once', async () => {
      const [filtered, throttledForGood, ...others] = h.users(6) as [string, string, ...string[]];
      // throttledForGood stays flow-controlled however often it is sent to (more times than the worker's limit of 3).
      h.sim.configure({ filteredUserIds: [filtered], flowControl: { userIds: [throttledForGood], times: 10 } });
      const before = h.batchSendStats();
      const send = await h.createSend({ userIds: [filtered, throttledForGood, ...others] });

      await h.settled(send.id);
      const batches = await h.batches(send.id);
      const first = batches.find((b) => b.seq === 0)!;
      expect(first).toMatchObject({ status: 'sent', attempts: 1, user_ids: [filtered, throttledForGood, ...others] });

      expect(await h.recipient(send.id, filtered)).toMatchObject({
        status: 'failed',
        reason_code: RecipientReason.Filtered,
        reason_message: expect.stringContaining('filteredStaffIdList'),
        attempts: 1,
        process_query_key: first.process_query_key,
      });
      expect(await h.recipient(send.id, throttledForGood)).toMatchObject({
        status: 'failed',
        reason_code: RecipientReason.FlowControlExhausted,
        reason_message: 'DingTalk flow-controlled this user on 3 attempts',
        attempts: 3,
        process_query_key: null,
      });
      for (const userId of others) {
        expect(await h.recipient(send.id, userId)).toMatchObject({
          status: 'delivered', reason_code: null, attempts: 1, process_query_key: first.process_query_key,
        });
        expect(h.sim.ledger.countFor(userId)).toBe(1);
      }
      expect(h.sim.ledger.countFor(filtered)).toBe(0);
      expect(h.sim.ledger.countFor(throttledForGood)).toBe(0);

      // Flow-controlled users were re-sent alone, each re-send a child of the batch that was throttled.
      const resends = batches.filter((b) => b.parent_batch_id !== null);
      expect(resends.every((b) => b.user_ids.length === 1 && b.attempts === 1 && b.status === 'sent')).toBe(true);
      expect(resends.map((b) => b.user_ids[0])).toEqual([throttledForGood, throttledForGood]);
      expect(resends[0]!.parent_batch_id).toBe(first.id);
      expect(resends[1]!.parent_batch_id).toBe(resends[0]!.id);
      expect(h.batchSendStats().calls - before.calls).toBe(3);
    }, DELIVERY_TEST_TIMEOUT_MS);

    it('a user flow-controlled once is re-sent alone and delivered on the second call', async () => {
      const [throttled, ...others] = h.users(4) as [string, ...string[]];
      h.sim.configure({ flowControl: { userIds: [throttled], times: 1 } });
      const send = await h.createSend({ userIds: [throttled, ...others] });

      await h.settled(send.id);
      const batches = await h.batches(send.id);
      expect(batches).toHaveLength(2);
      const [first, resend] = batches as [(typeof batches)[0], (typeof batches)[0]];
      expect(resend).toMatchObject({ parent_batch_id: first.id, user_ids: [throttled], status: 'sent', attempts: 1 });
      expect(await h.recipient(send.id, throttled)).toMatchObject({
        status: 'delivered', reason_code: null, reason_message: null, attempts: 2, process_query_key: resend.process_query_key,
        batch_id: resend.id,
      });
      for (const userId of [throttled, ...others]) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect(h.sim.ledger.call(first.process_query_key!)?.flowControlled).toEqual([throttled]);
    }, DELIVERY_TEST_TIMEOUT_MS);
  });
});

function errorsSince(before: { errors: Record<string, number> }, after: { errors: Record<string, number> }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [code, n] of Object.entries(after.errors)) {
    const delta = n - (before.errors[code] ?? 0);
    if (delta > 0) out[code] = delta;
  }
  return out;
}
