import type { INestApplicationContext } from '@nestjs/common';
import { DELIVERY_TEST_TIMEOUT_MS, type DeliveryHarness, waitFor } from '../support/delivery-harness.js';
import { followUpBatches, readRows, startReadRecallHarness, startScanningWorker } from './read-recall-harness.js';

const SCHEDULE = [200, 400, 800, 1_600, 3_200];

/**
 * The worker polls DingTalk readStatus for each delivered batch on its schedule (here 200 ms … 3.2 s instead of
 * 1 min … 23 h), records each recipient's read state, and stops polling a batch once all its recipients have read.
 */
describe('read status polling', () => {
  let h: DeliveryHarness;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    h = await startReadRecallHarness('read-status');
    worker = await startScanningWorker(h, { pollScheduleMs: SCHEDULE });
  });

  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  beforeEach(() => {
    h.sim.configure({ readRecall: {} });
  });

  it('progresses over polls to all read, then stops polling early', async () => {
    // Half the users (a stable draw per user) read 300 ms after sending; the test marks the rest read later.
    h.sim.configure({ readRecall: { readAfterMs: 300, readFraction: 0.5 } });
    const send = await h.createSend({ userIds: h.users(30) });
    await h.settled(send.id);

    const partial = await waitFor(
      async () => ({ batches: await followUpBatches(h, send.id), rows: await readRows(h, send.id) }),
      (s) => s.batches.every((b) => b.read_polls >= 2),
      { timeoutMs: 10_000, intervalMs: 20, description: 'two polls of every batch' },
    );
    const readAfterTwo = partial.rows.filter((r) => r.read_status === 'read').length;
    expect(readAfterTwo).toBeGreaterThan(0);
    expect(readAfterTwo).toBeLessThan(30);
    expect(partial.rows.every((r) => r.read_status === 'read' || r.read_status === 'unread')).toBe(true);

    for (const b of partial.batches) h.sim.markRead(b.process_query_key!);
    const done = await waitFor(
      () => followUpBatches(h, send.id),
      (batches) => batches.every((b) => b.read_next_poll_at === null),
      { timeoutMs: 10_000, intervalMs: 20, description: 'polling to stop' },
    );
    // Stopped early: fewer polls than the schedule has.
    for (const b of done) expect(b.read_polls).toBeLessThan(SCHEDULE.length);
    const rows = await readRows(h, send.id);
    expect(rows.every((r) => r.read_status === 'read' && r.read_at !== null)).toBe(true);
    // No readTimestamp from DingTalk: read_at is the time of the poll that saw the read, after the send.
    for (const r of rows) {
      const batch = done.find((b) => b.id === r.batch_id)!;
      expect(new Date(r.read_at!).getTime()).toBeGreaterThanOrEqual(new Date(batch.sent_at!).getTime());
    }
    const calls = h.sim.readStatusCalls().filter((c) => done.some((b) => b.process_query_key === c.processQueryKey));
    expect(calls).toHaveLength(done.reduce((n, b) => n + b.read_polls, 0));
  }, DELIVERY_TEST_TIMEOUT_MS);

  it.each([
    ['"processQueryKey.expireTime" right after sending is "not ready yet": the next poll succeeds', 'notReadyMs', 'processQueryKey.expireTime'],
    ['PROCESSING is an answer like any other: the schedule goes on', 'processingMs', 'PROCESSING'],
  ] as const)('%s', async (_title, window, firstOutcome) => {
    // The simulator holds the first answer until the test has seen one poll get it, then lifts it: no race with
    // the schedule however slow the machine is.
    h.sim.configure({ readRecall: { [window]: 60 * 60 * 1000, readAfterMs: 0 } });
    const send = await h.createSend({ userIds: h.users(3) });
    await h.settled(send.id);
    const [polled] = await waitFor(
      () => followUpBatches(h, send.id),
      (batches) => batches[0]!.read_polls >= 1,
      { timeoutMs: 10_000, intervalMs: 20, description: 'the first poll' },
    );
    h.sim.configure({ readRecall: { [window]: 0, readAfterMs: 0 } });
    const [batch] = await waitFor(
      () => followUpBatches(h, send.id),
      (batches) => batches[0]!.read_next_poll_at === null,
      { timeoutMs: 10_000, intervalMs: 20, description: 'polling to stop' },
    );
    expect(batch).toMatchObject({ read_polls: 2, read_error_code: null });
    const outcomes = h.sim.readStatusCalls().filter((c) => c.processQueryKey === polled!.process_query_key).map((c) => c.outcome);
    expect(outcomes).toEqual([firstOutcome, 'SUCCESS']);
    expect((await readRows(h, send.id)).map((r) => r.read_status)).toEqual(['read', 'read', 'read']);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it("accepts DingTalk's documented SUCESS spelling and records readTimestamp when DingTalk sends one", async () => {
    h.sim.configure({ readRecall: { sucessTypo: true, readAfterMs: 0, readTimestamps: true } });
    const send = await h.createSend({ userIds: h.users(2) });
    await h.settled(send.id);
    const [batch] = await waitFor(
      () => followUpBatches(h, send.id),
      (batches) => batches[0]!.read_next_poll_at === null,
      { timeoutMs: 10_000, intervalMs: 20, description: 'polling to stop' },
    );
    expect(batch!.read_polls).toBe(1);
    expect(h.sim.readStatusCalls().find((c) => c.processQueryKey === batch!.process_query_key)?.outcome).toBe('SUCESS');
    const acceptedAt = Date.parse(h.sim.ledger.call(batch!.process_query_key!)!.acceptedAt);
    for (const r of await readRows(h, send.id)) {
      expect(r.read_status).toBe('read');
      expect(new Date(r.read_at!).getTime()).toBe(acceptedAt);
    }
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('keeps the schedule in Postgres: due polls are taken up by a worker started later', async () => {
    h.sim.configure({ readRecall: { readAfterMs: 0 } });
    await worker.close();
    let sendId: string;
    try {
      // Delivers with the scanners off, then stops: the first poll is due and nobody is polling.
      const deliverer = await startScanningWorker(h, { pollScheduleMs: SCHEDULE, scanIntervalMs: 24 * 60 * 60 * 1000 });
      const send = await h.createSend({ userIds: h.users(2) });
      sendId = send.id;
      await h.settled(send.id);
      await deliverer.close();
      const [before] = await followUpBatches(h, send.id);
      expect(before).toMatchObject({ read_polls: 0 });
      expect(before!.read_next_poll_at).not.toBeNull();
    } finally {
      worker = await startScanningWorker(h, { pollScheduleMs: SCHEDULE });
    }
    await waitFor(
      () => followUpBatches(h, sendId),
      (batches) => batches.every((b) => b.read_next_poll_at === null && b.read_polls === 1),
      { timeoutMs: 10_000, intervalMs: 20, description: 'the restarted worker to poll' },
    );
    expect((await readRows(h, sendId)).map((r) => r.read_status)).toEqual(['read', 'read']);
  }, DELIVERY_TEST_TIMEOUT_MS);
});
