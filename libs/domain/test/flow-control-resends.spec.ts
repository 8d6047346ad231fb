import { DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness } from './support/delivery-harness.js';

/**
 * Flow-controlled users share re-send calls: every batchSend call spends the app's monthly quota whatever its size, so
 * users of a send due back at about the same time go out together, up to 20 a call — against a real worker, real
 * Postgres and Redis and the simulator.
 *
 * The worker waits 4 s (to 6 s) before a re-send: every first call of a test's send settles well inside that slack,
 * even on a loaded machine, so the test can say exactly how many calls the re-sends take.
 */
describe('re-sends of flow-controlled users', () => {
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'flow-control-resends' });
    await h.startWorker({ flowControlBaseDelayMs: 4_000, retryMaxDelayMs: 60_000, flowControlMaxAttempts: 3, concurrency: 8 });
  });

  afterEach(() => {
    h.sim.configure({ flowControl: {} });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('users flow-controlled in different batches of a send go out in one call, and each keeps its attempts', async () => {
    const users = h.users(100);
    // Two or three users in each of the send's five batches.
    const throttled = users.filter((_, i) => i % 9 === 4);
    expect(throttled).toHaveLength(11);
    h.sim.configure({ flowControl: { userIds: throttled, times: 1 } });
    const before = h.batchSendStats().calls;

    const send = await h.createSend({ userIds: users });
    expect(send.batches).toBe(5);
    const recipients = await h.settled(send.id, 30_000);

    expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);
    expect(h.batchSendStats().calls - before).toBe(6);
    const batches = await h.batches(send.id);
    const firsts = batches.filter((b) => b.parent_batch_id === null);
    const resends = batches.filter((b) => b.parent_batch_id !== null);
    expect(resends).toHaveLength(1);
    const [resend] = resends as [(typeof resends)[0]];
    expect([...resend.user_ids].sort()).toEqual([...throttled].sort());
    expect(resend).toMatchObject({ status: 'sent', attempts: 1 });
    expect(firsts.map((b) => b.id)).toContain(resend.parent_batch_id);
    // The call named exactly the batch's users, and delivered each of them once.
    expect([...h.sim.ledger.call(resend.process_query_key!)!.delivered].sort()).toEqual([...throttled].sort());
    for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);

    // Each user's own record: two attempts, delivered by the re-send; the first call's record still names them.
    for (const userId of throttled) {
      const r = recipients.find((x) => x.user_id === userId)!;
      expect(r).toMatchObject({ attempts: 2, batch_id: resend.id, process_query_key: resend.process_query_key });
      const calledIn = batches.filter((b) => b.user_ids.includes(userId)).map((b) => b.id);
      expect(calledIn).toHaveLength(2);
      expect(h.sim.ledger.call(firsts.find((b) => b.user_ids.includes(userId))!.process_query_key!)!.flowControlled).toContain(userId);
    }
    // The timeline: each first call that met flow control points at the shared re-send batch.
    const retries: { batch_id: string; details: { users: number; batches: string[] } }[] = await h.db.query(
      `SELECT batch_id, details FROM send_events WHERE send_id = $1 AND type = 'batch.retry-scheduled'`,
      [send.id],
    );
    expect(retries).toHaveLength(5);
    expect(retries.reduce((n, e) => n + e.details.users, 0)).toBe(11);
    expect(retries.every((e) => e.details.batches.length === 1 && e.details.batches[0] === resend.id)).toBe(true);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('more flow-controlled users than one call holds fill calls of 20; two sends never share a call', async () => {
    const [a, b] = [h.users(60), h.users(60)];
    const throttledA = a.filter((_, i) => i % 5 !== 0); // 48 of 60: three batches' worth → 20 + 20 + 8
    const throttledB = b.slice(0, 3);
    h.sim.configure({ flowControl: { userIds: [...throttledA, ...throttledB], times: 1 } });
    const before = h.batchSendStats().calls;

    const [sendA, sendB] = await Promise.all([h.createSend({ userIds: a }), h.createSend({ userIds: b })]);
    const [recipientsA, recipientsB] = await Promise.all([h.settled(sendA.id, 30_000), h.settled(sendB.id, 30_000)]);

    expect([...recipientsA, ...recipientsB].filter((r) => r.status !== 'delivered')).toEqual([]);
    // 3 + 3 first calls; A's 48 re-sent in 3 calls, B's 3 in one.
    expect(h.batchSendStats().calls - before).toBe(10);
    const resendsA = (await h.batches(sendA.id)).filter((x) => x.parent_batch_id !== null);
    const resendsB = (await h.batches(sendB.id)).filter((x) => x.parent_batch_id !== null);
    expect(resendsA.map((x) => x.user_ids.length).sort((x, y) => x - y)).toEqual([8, 20, 20]);
    expect(resendsA.flatMap((x) => x.user_ids).sort()).toEqual([...throttledA].sort());
    expect(resendsB.map((x) => [...x.user_ids].sort())).toEqual([[...throttledB].sort()]);
    for (const userId of [...a, ...b]) expect(h.sim.ledger.countFor(userId)).toBe(1);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('a re-send batch that has been called is never joined: users flow-controlled again go to a new one', async () => {
    const users = h.users(40);
    const throttled = [...users.slice(0, 2), ...users.slice(20, 23)];
    h.sim.configure({ flowControl: { userIds: throttled, times: 2 } });
    const before = h.batchSendStats().calls;
    const send = await h.createSend({ userIds: users });
    const recipients = await h.settled(send.id, 45_000);

    expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);
    // Two first calls, then the five together twice: flow-controlled on the first re-send, delivered on the second.
    expect(h.batchSendStats().calls - before).toBe(4);
    const resends = (await h.batches(send.id)).filter((x) => x.parent_batch_id !== null);
    expect(resends.map((x) => [[...x.user_ids].sort(), x.attempts, x.status])).toEqual([
      [[...throttled].sort(), 1, 'sent'],
      [[...throttled].sort(), 1, 'sent'],
    ]);
    expect(resends[1]!.parent_batch_id).toBe(resends[0]!.id);
    for (const userId of throttled) expect(recipients.find((r) => r.user_id === userId)).toMatchObject({ attempts: 3 });
  }, 60_000);
});
