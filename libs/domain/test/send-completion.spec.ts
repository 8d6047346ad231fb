import { DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness, waitFor } from './support/delivery-harness.js';

interface Sample {
  completed: boolean;
  pending: number;
}

/**
 * `sends.completed_at` is stamped by whichever settlement moves the last recipient out of `pending`, under the send's
 * row lock. With eight batches in flight at once and DingTalk answering with jitter, settlements race; the stamp must
 * still appear exactly then — never while someone is pending, never missing once nobody is.
 */
describe('send completion under concurrent settlements', () => {
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'completion', sim: { faults: { latencyMs: 40 } } });
    await h.startWorker({ concurrency: 8 });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('a 400-user send with worker concurrency 8: completed_at is set in the same snapshot the last pending recipient leaves', async () => {
    const known = h.users(392);
    const ghosts = Array.from({ length: 5 }, (_, i) => `ghost-${i + 1}`);
    const userIds = [...known.slice(0, 200), ...ghosts, ...known.slice(200)];

    const send = await h.createSend({ userIds });
    expect(send).toMatchObject({ recipients: 397, batches: 20 });

    // One statement per sample, so the send row and its recipients are read in one snapshot.
    const samples: Sample[] = [];
    await waitFor(
      async () => {
        const [row] = await h.db.query(
          `SELECT s.completed_at IS NOT NULL AS completed,
                  (SELECT count(*)::int FROM recipients r WHERE r.send_id = s.id AND r.status = 'pending') AS pending
             FROM sends s WHERE s.id = $1`,
          [send.id],
        );
        samples.push(row as Sample);
        return row as Sample;
      },
      (s) => s.completed && s.pending === 0,
      { timeoutMs: 20_000, intervalMs: 5, description: `send ${send.id} to complete` },
    );

    expect(samples.filter((s) => s.completed !== (s.pending === 0))).toEqual([]);
    // The sampling saw the send in progress, not only its end.
    expect(samples.filter((s) => s.pending > 0).length).toBeGreaterThan(3);
    // Settlements really overlapped.
    expect(h.sim.stats().peakInFlight).toBeGreaterThan(1);

    const recipients = await h.recipients(send.id);
    const byStatus = recipients.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ delivered: 392, invalid: 5 });
    for (const userId of known) expect(h.sim.ledger.countFor(userId)).toBe(1);
    expect(h.sim.ledger.summary().duplicateDeliveries).toBe(0);

    const batches = await h.batches(send.id);
    expect(batches).toHaveLength(20);
    expect(batches.every((b) => b.status === 'sent')).toBe(true);

    // The outcome is kept on the send by the completing settlement, and the timeline's last entry says the same.
    const [kept] = await h.db.query(`SELECT recipient_summary, ambiguous_calls FROM sends WHERE id = $1`, [send.id]);
    expect(kept).toEqual({ recipient_summary: { delivered: 392, invalid: 5 }, ambiguous_calls: 0 });
    const [completed] = await h.db.query(`SELECT details FROM send_events WHERE send_id = $1 AND type = 'send.completed'`, [send.id]);
    expect(completed).toEqual({ details: { recipients: { delivered: 392, invalid: 5 } } });
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('30 two-batch sends at once: each is stamped completed by whichever of its two racing settlements is last', async () => {
    // Two batches of one send are picked up together and answered together, so their settlements overlap: without
    // the send's row lock each would see the other's recipients still pending and neither would stamp the send.
    const sends = await Promise.all(Array.from({ length: 30 }, () => h.createSend({ userIds: h.users(40) })));
    const ids = sends.map((s) => s.id);

    const done = await waitFor(
      async () =>
        (await h.db.query(
          `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM recipients r WHERE r.send_id = s.id AND r.status = 'pending'))::int AS settled,
                  count(*) FILTER (WHERE s.completed_at IS NOT NULL)::int AS stamped
             FROM sends s WHERE s.id = ANY($1)`,
          [ids],
        ))[0] as { settled: number; stamped: number },
      (c) => c.settled === ids.length,
      { timeoutMs: 20_000, intervalMs: 20, description: 'all 30 sends to settle' },
    );
    expect(done).toEqual({ settled: 30, stamped: 30 });
    const kept = await h.db.query(`SELECT recipient_summary, ambiguous_calls FROM sends WHERE id = ANY($1)`, [ids]);
    expect(kept.filter((k: { recipient_summary: unknown; ambiguous_calls: unknown }) => JSON.stringify(k) !== JSON.stringify({ recipient_summary: { delivered: 40 }, ambiguous_calls: 0 }))).toEqual([]);
    expect(h.sim.ledger.summary().duplicateDeliveries).toBe(0);
  }, DELIVERY_TEST_TIMEOUT_MS);
});
