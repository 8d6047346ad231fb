import { DeliveryPolicy, RecipientReason } from '@dingrelay/contracts';
import type { ScriptedFault } from '@dingrelay/dingtalk-sim';
import { DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness } from './support/delivery-harness.js';

/**
 * DingTalk delivered, but its answer never reached us: batchSend has no idempotency key, so whether to call again is
 * the send's delivery policy. The simulator's ledger is the ground truth of what users received.
 */
describe('deliver-batch when DingTalk’s answer is lost after it delivered', () => {
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'ambiguous' });
    // A short client timeout turns a hung call into a lost answer quickly.
    await h.startWorker({ maxAttempts: 3 }, 400);
  });

  afterEach(() => {
    h.sim.configure({ faults: {} });
  });

  afterAll(async () => {
    await h?.close();
  });

  const lostAnswers: [string, ScriptedFault, string][] = [
    ['no answer at all (client timeout)', { afterDelivery: true, hang: true }, 'dingrelay.transport.timeout'],
    ['500 system.error', { afterDelivery: true, code: 'system.error', status: 500 }, 'system.error'],
  ];

  describe.each(lostAnswers)('delivered, then %s', (_name, fault, code) => {
    it('at-most-once: recipients become unknown, nothing is re-sent, the ledger shows exactly one delivery', async () => {
      const users = h.users(4);
      h.sim.injectFault(fault);
      const callsBefore = h.sim.stats().batchSend.calls;
      const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtMostOnce });

      const recipients = await h.settled(send.id);
      for (const r of recipients) {
        expect(r).toMatchObject({ status: 'unknown', reason_code: RecipientReason.AmbiguousNotResent, attempts: 1, process_query_key: null });
        expect(r.reason_message).toContain(code);
        expect(r.reason_message).toContain('not re-sent because the send is at-most-once');
      }
      const [batch] = await h.batches(send.id);
      expect(batch).toMatchObject({
        status: 'unknown', attempts: 1, ambiguous_attempts: 1, last_error_code: RecipientReason.AmbiguousNotResent, process_query_key: null,
      });

      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect(h.sim.stats().batchSend.calls - callsBefore).toBe(1);
      expect((await h.send(send.id)).completed_at).not.toBeNull();
    }, DELIVERY_TEST_TIMEOUT_MS);

    it('at-least-once: the batch is re-sent, recipients end delivered, the ledger shows the duplicate and the batch counts it', async () => {
      const users = h.users(4);
      h.sim.injectFault(fault);
      const callsBefore = h.sim.stats().batchSend.calls;
      const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtLeastOnce });

      const recipients = await h.settled(send.id);
      const [batch] = await h.batches(send.id);
      expect(batch).toMatchObject({ status: 'sent', attempts: 2, ambiguous_attempts: 1, last_error_code: null });
      for (const r of recipients) {
        // Both calls included the user, and the row says so: attempts match what the ledger saw.
        expect(r).toMatchObject({ status: 'delivered', reason_code: null, attempts: 2, process_query_key: batch!.process_query_key });
      }

      for (const userId of users) {
        const deliveries = h.sim.ledger.deliveries({ userId }).deliveries;
        expect(deliveries).toHaveLength(2);
        // The first processQueryKey was lost with the answer; the row holds the second one.
        expect(deliveries[1]!.processQueryKey).toBe(batch!.process_query_key);
        expect(deliveries[0]!.processQueryKey).not.toBe(batch!.process_query_key);
      }
      const duplicates = h.sim.ledger.duplicates().filter((d) => users.includes(d.userId));
      expect(duplicates.map((d) => [d.userId, d.count]).sort()).toEqual(users.map((u) => [u, 2]).sort());
      expect(h.sim.stats().batchSend.calls - callsBefore).toBe(2);
    }, DELIVERY_TEST_TIMEOUT_MS);
  });

  it('at-least-once, every answer lost: after maxAttempts the recipients are unknown, not failed — the ledger shows they got it', async () => {
    h.sim.configure({ faults: { errorAfterDeliveryRate: 1 } });
    const users = h.users(3);
    const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtLeastOnce });

    const recipients = await h.settled(send.id);
    for (const r of recipients) {
      expect(r).toMatchObject({ status: 'unknown', reason_code: 'system.error', attempts: 3, process_query_key: null });
      expect(r.reason_message).toBe('未知的系统错误 (gave up after 3 attempts); 3 call(s) naming this user lost their answer, so it may have been delivered');
    }
    const [batch] = await h.batches(send.id);
    expect(batch).toMatchObject({ status: 'unknown', attempts: 3, ambiguous_attempts: 3, last_error_code: 'system.error' });
    expect((await h.send(send.id)).completed_at).not.toBeNull();
    // What the statistics read: the outcome kept on the send when it completed.
    const [kept] = await h.db.query(`SELECT recipient_summary, ambiguous_calls FROM sends WHERE id = $1`, [send.id]);
    expect(kept).toEqual({ recipient_summary: { unknown: 3 }, ambiguous_calls: 3 });
    for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(3);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('at-least-once, a lost answer then a permanent refusal: unknown with DingTalk’s code, since the first call delivered', async () => {
    h.sim.injectFault({ afterDelivery: true, code: 'system.error', status: 500 }, { code: 'template.stopped', status: 400, message: '机器人已停用' });
    const users = h.users(3);
    const send = await h.createSend({ userIds: users, deliveryPolicy: DeliveryPolicy.AtLeastOnce });

    for (const r of await h.settled(send.id)) {
      expect(r).toMatchObject({ status: 'unknown', reason_code: 'template.stopped', attempts: 2, process_query_key: null });
      expect(r.reason_message).toBe('机器人已停用; 1 call(s) naming this user lost their answer, so it may have been delivered');
    }
    const [batch] = await h.batches(send.id);
    expect(batch).toMatchObject({ status: 'unknown', attempts: 2, ambiguous_attempts: 1, last_error_code: 'template.stopped' });
    for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
  }, DELIVERY_TEST_TIMEOUT_MS);
});
