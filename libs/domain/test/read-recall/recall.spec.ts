import type { INestApplicationContext } from '@nestjs/common';
import { ConflictError, GetSendStatusUseCase, RequestRecallUseCase, systemActor } from '../../src/index.js';
import { DELIVERY_TEST_TIMEOUT_MS, type DeliveryHarness, waitFor } from '../support/delivery-harness.js';
import { followUpBatches, readRows, recallDone, startReadRecallHarness, startScanningWorker } from './read-recall-harness.js';

const actor = systemActor('recall-test');

/**
 * `POST /v1/sends/:id/recall` records the request; the worker's recall scanner calls batchRecall with ≤ 20
 * processQueryKeys per call and records each key's outcome on its batch and recipients.
 */
describe('recall', () => {
  let h: DeliveryHarness;
  let worker: INestApplicationContext;
  let recall: RequestRecallUseCase;

  beforeAll(async () => {
    h = await startReadRecallHarness('recall', { faults: { apis: ['batchSend'], latencyMs: 0 } });
    worker = await startScanningWorker(h, { pollScheduleMs: [] }, 2);
    recall = await h.producerUseCase(RequestRecallUseCase);
  });

  afterAll(async () => {
    await worker?.close();
    await h?.close();
  });

  beforeEach(() => {
    h.sim.configure({ faults: { apis: ['batchSend'], latencyMs: 0 }, readRecall: {} });
  });

  function recallsOf(keys: readonly (string | null)[]) {
    return h.sim.recalls().filter((r) => r.processQueryKeys.some((k) => keys.includes(k)));
  }

  it('recalls a finished send of 22 batches in ≤ 20-key calls; readStatus then answers RECALLED', async () => {
    const send = await h.createSend({ userIds: h.users(430) });
    await h.settled(send.id);
    const result = await recall.execute(send.id, actor);
    expect(result).toMatchObject({ replayed: false, batchesToRecall: 22, batchesExpired: 0, batchesInFlight: 0, recipientsCancelled: 0 });
    await recallDone(h, send.id);

    const batches = await followUpBatches(h, send.id);
    const keys = batches.map((b) => b.process_query_key);
    expect(recallsOf(keys).map((r) => r.processQueryKeys.length)).toEqual([20, 2]);
    expect(new Set(recallsOf(keys).flatMap((r) => r.processQueryKeys))).toEqual(new Set(keys));
    expect(batches.every((b) => b.recall_status === 'recalled')).toBe(true);
    const rows = await readRows(h, send.id);
    expect(rows.every((r) => r.recall_status === 'recalled' && r.recalled_at !== null)).toBe(true);

    const status = await (await h.producerUseCase(GetSendStatusUseCase)).execute(send.id);
    expect(status.recall).toMatchObject({ recalled: 430, failed: 0, pending: 0, failedByReason: {} });
    expect(status.recall?.completedAt).not.toBeNull();

    // A second request is a replay: nothing new is called.
    const again = await recall.execute(send.id, actor);
    expect(again.replayed).toBe(true);
    expect(again.requestedAt).toEqual(result.requestedAt);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(recallsOf(keys)).toHaveLength(2);
  }, DELIVERY_TEST_TIMEOUT_MS);

  it("records each key's failedResult reason; the others are recalled", async () => {
    const send = await h.createSend({ userIds: h.users(60) });
    await h.settled(send.id);
    const [first, second, third] = await followUpBatches(h, send.id);
    h.sim.failRecall(second!.process_query_key!, 'SYSTEM_ERROR');
    await recall.execute(send.id, actor);
    await recallDone(h, send.id);

    const rows = await readRows(h, send.id);
    for (const r of rows) {
      if (r.batch_id === second!.id) expect(r).toMatchObject({ recall_status: 'failed', recall_reason: 'SYSTEM_ERROR', recalled_at: null });
      else expect(r).toMatchObject({ recall_status: 'recalled', recall_reason: null });
    }
    expect(recallsOf([first!.process_query_key, third!.process_query_key])).toHaveLength(1);
    const status = await (await h.producerUseCase(GetSendStatusUseCase)).execute(send.id);
    expect(status.recall).toMatchObject({ recalled: 40, failed: 20, failedByReason: { SYSTEM_ERROR: 20 } });
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('past 24 h: 409 with a clear message and no DingTalk call; a mixture recalls what is in the window', async () => {
    const old = await h.createSend({ userIds: h.users(40) });
    await h.settled(old.id);
    await h.db.query(`UPDATE batches SET sent_at = sent_at - interval '25 hours' WHERE send_id = $1`, [old.id]);
    const callsBefore = h.sim.stats().batchRecall.calls;
    const refused = await recall.execute(old.id, actor).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/more than 24 h ago.*nothing was recalled/);
    const [row] = await h.db.query(`SELECT recall_requested_at FROM sends WHERE id = $1`, [old.id]);
    expect(row.recall_requested_at).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.sim.stats().batchRecall.calls).toBe(callsBefore);

    const mixed = await h.createSend({ userIds: h.users(40) });
    await h.settled(mixed.id);
    const [aged, fresh] = await followUpBatches(h, mixed.id);
    await h.db.query(`UPDATE batches SET sent_at = sent_at - interval '25 hours' WHERE id = $1`, [aged!.id]);
    const result = await recall.execute(mixed.id, actor);
    expect(result).toMatchObject({ batchesToRecall: 1, batchesExpired: 1 });
    await recallDone(h, mixed.id);
    expect(recallsOf([aged!.process_query_key]).length).toBe(0);
    expect(recallsOf([fresh!.process_query_key]).map((r) => r.processQueryKeys)).toEqual([[fresh!.process_query_key]]);
    for (const r of await readRows(h, mixed.id)) {
      expect(r).toMatchObject(
        r.batch_id === aged!.id ? { recall_status: 'failed', recall_reason: 'expired' } : { recall_status: 'recalled' },
      );
    }
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('a running send: unsent batches are cancelled, batches in flight are recalled once they settle', async () => {
    // Slow batchSend answers and two worker slots: some batches are in flight while the rest wait.
    h.sim.configure({ faults: { apis: ['batchSend'], latencyMs: 600 } });
    const send = await h.createSend({ userIds: h.users(200) });
    await waitFor(
      async () => (await followUpBatches(h, send.id)).filter((b) => b.status === 'in_flight').length,
      (inFlight) => inFlight > 0,
      { timeoutMs: 10_000, intervalMs: 10, description: 'a batch in flight' },
    );
    const result = await recall.execute(send.id, actor);
    expect(result.batchesInFlight).toBeGreaterThan(0);
    expect(result.recipientsCancelled).toBeGreaterThan(0);
    await recallDone(h, send.id);

    const batches = await followUpBatches(h, send.id);
    const sent = batches.filter((b) => b.status === 'sent');
    expect(sent.length).toBeGreaterThanOrEqual(result.batchesInFlight);
    expect(batches.filter((b) => b.status === 'cancelled').length).toBeGreaterThan(0);
    expect(sent.every((b) => b.recall_status === 'recalled')).toBe(true);
    expect(new Set(recallsOf(sent.map((b) => b.process_query_key)).flatMap((r) => r.processQueryKeys))).toEqual(
      new Set(sent.map((b) => b.process_query_key)),
    );
    const rows = await readRows(h, send.id);
    expect(rows.filter((r) => r.status === 'cancelled')).toHaveLength(result.recipientsCancelled);
    expect(rows.filter((r) => r.status === 'delivered').every((r) => r.recall_status === 'recalled')).toBe(true);
    const [row] = await h.db.query(`SELECT cancelled_at FROM sends WHERE id = $1`, [send.id]);
    expect(row.cancelled_at).not.toBeNull();
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('retries a batchRecall DingTalk failed transiently, and stops read polling of recalled batches', async () => {
    const send = await h.createSend({ userIds: h.users(5) });
    await h.settled(send.id);
    await h.db.query(`UPDATE batches SET read_next_poll_at = now() + interval '1 hour' WHERE send_id = $1`, [send.id]);
    h.sim.injectFault({ api: 'batchRecall', code: 'system.error' });
    await recall.execute(send.id, actor);
    await recallDone(h, send.id);
    const [batch] = await followUpBatches(h, send.id);
    expect(batch).toMatchObject({ recall_status: 'recalled', read_next_poll_at: null });
    expect(h.sim.stats().errorsByCode['system.error']).toBeGreaterThanOrEqual(1);
    const [{ n }] = await h.db.query(`SELECT count(*)::int AS n FROM send_events WHERE send_id = $1 AND type = 'recall.call-failed'`, [send.id]);
    expect(n).toBe(1);
  }, DELIVERY_TEST_TIMEOUT_MS);
});
