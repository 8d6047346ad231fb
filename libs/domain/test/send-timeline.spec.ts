import { DeliveryPolicy } from '@dingrelay/contracts';
import { ListSendEventsUseCase, type SendEventView } from '../src/index.js';
import { DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness, waitFor } from './support/delivery-harness.js';

/** A send's timeline, written by the real worker in the transactions of the changes it records. */
describe('send timeline', () => {
  let h: DeliveryHarness;
  let events: ListSendEventsUseCase;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'timeline' });
    await h.startWorker({ maxAttempts: 3, flowControlMaxAttempts: 3 });
    events = new ListSendEventsUseCase(h.db);
  });

  afterEach(() => {
    h.sim.configure({ faults: {}, flowControl: {} });
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Every event of the send, through the use-case's pages (two at a time, so paging is exercised too). */
  async function timeline(sendId: string): Promise<SendEventView[]> {
    const all: SendEventView[] = [];
    let nextToken: string | undefined;
    do {
      const page = await events.execute({ sendId, maxResults: 2, nextToken });
      all.push(...page.items);
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);
    return all;
  }

  it('a retried, flow-controlled send: accepted, the failed attempt and its retry, the re-send, completion — in order', async () => {
    const [throttled, ...others] = h.users(4) as [string, ...string[]];
    h.sim.injectFault({ code: 'system.busy', times: 1 });
    h.sim.configure({ flowControl: { userIds: [throttled], times: 1 } });
    const send = await h.createSend({ userIds: [throttled, ...others], deliveryPolicy: DeliveryPolicy.AtLeastOnce });
    await h.settled(send.id);
    const all = await waitFor(() => timeline(send.id), (e) => e.at(-1)?.type === 'send.completed', {
      description: 'the send.completed event',
    });

    const [first, resend] = await h.batches(send.id);
    expect(all.map((e) => [e.type, e.batchId])).toEqual([
      ['accepted', null],
      ['batch.attempt', first!.id],
      ['batch.retry-scheduled', first!.id],
      ['batch.attempt', first!.id],
      ['batch.retry-scheduled', first!.id],
      ['batch.attempt', resend!.id],
      ['send.completed', null],
    ]);
    const [accepted, refused, retry, sent, flowRetry, resent, completed] = all;
    expect(accepted!.details).toMatchObject({ recipients: 4, duplicatesRemoved: 0, batches: 1, deliveryPolicy: 'at-least-once' });
    expect(refused!.details).toMatchObject({ attempt: 1, result: 'failed', errorCode: 'system.busy', ambiguous: false });
    expect(retry!.details).toMatchObject({ reason: expect.stringContaining('system.busy'), delayMs: expect.any(Number) });
    expect(retry!.details.delayMs as number).toBeGreaterThanOrEqual(1_000);
    expect(sent!.details).toMatchObject({
      attempt: 2, result: 'sent', delivered: 3, invalid: 0, filtered: 0, flowControlled: 1,
      dingtalkRequestId: expect.any(String),
    });
    expect(flowRetry!.details).toMatchObject({ reason: 'flowControlled', users: 1, delayMs: expect.any(Number) });
    expect(resent!.details).toMatchObject({ attempt: 1, result: 'sent', delivered: 1, flowControlled: 0 });
    expect(completed!.details).toEqual({ recipients: { delivered: 4 } });
    // Written as things happened: ids and times never go backwards.
    for (let i = 1; i < all.length; i += 1) {
      expect(BigInt(all[i]!.id) > BigInt(all[i - 1]!.id)).toBe(true);
      expect(all[i]!.occurredAt.getTime()).toBeGreaterThanOrEqual(all[i - 1]!.occurredAt.getTime());
    }
    // No user ids on the timeline: recipient-level detail lives on the recipients, where retention purges it.
    expect(JSON.stringify(all)).not.toContain(throttled);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('a batch refused for good: the attempt with DingTalk’s code, then batch.failed with the counts', async () => {
    h.sim.injectFault({ code: 'chatbotId.notAllow.sendOTO', status: 400, message: '机器人未开启单聊主动推送' });
    const send = await h.createSend({ userIds: h.users(3) });
    await h.settled(send.id);
    const all = await waitFor(() => timeline(send.id), (e) => e.at(-1)?.type === 'send.completed', {
      description: 'the send.completed event',
    });
    expect(all.map((e) => e.type)).toEqual(['accepted', 'batch.attempt', 'batch.failed', 'send.completed']);
    expect(all[1]!.details).toMatchObject({ result: 'failed', errorCode: 'chatbotId.notAllow.sendOTO', retryClass: 'permanent' });
    expect(all[2]!.details).toMatchObject({ errorCode: 'chatbotId.notAllow.sendOTO', recipients: { failed: 3 } });
    expect(all[3]!.details).toEqual({ recipients: { failed: 3 } });
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('a page token of one send is refused for another; an unknown send is 404', async () => {
    const a = await h.createSend({ userIds: h.users(1) });
    const b = await h.createSend({ userIds: h.users(1) });
    await h.settled(a.id);
    const page = await waitFor(() => events.execute({ sendId: a.id, maxResults: 1 }), (p) => p.nextToken !== null, {
      description: 'a second event on send a',
    });
    await expect(events.execute({ sendId: b.id, maxResults: 1, nextToken: page.nextToken! })).rejects.toThrow(
      'belongs to a different query',
    );
    await expect(events.execute({ sendId: '00000000-0000-4000-8000-000000000000', maxResults: 1 })).rejects.toThrow('does not exist');
  }, DELIVERY_TEST_TIMEOUT_MS);
});
