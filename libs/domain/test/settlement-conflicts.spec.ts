import pg from 'pg';
import { testDatabaseUrl } from '@dingrelay/testing';
import { BatchStatus, DeliverBatchUseCase, GetSendStatusUseCase } from '../src/index.js';
import { DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness, waitFor } from './support/delivery-harness.js';

/**
 * A settlement records a DingTalk answer that exists only in the worker's memory: if Postgres aborts it, the batch
 * is left in flight and its next attempt has to treat a call with a known answer as ambiguous (a duplicate under
 * at-least-once, an `unknown` recipient under at-most-once). Settlements must not deadlock among themselves, and
 * one aborted by a deadlock with anything else must be run again.
 *
 * Both tests use a database of their own: the first reads the database's deadlock counter, the second the usage meter.
 */
describe('settlement transactions under lock conflicts', () => {
  const databaseUrl = privateDatabaseUrl('settlement_conflicts');
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'settlement-conflicts', databaseUrl });
  });

  afterAll(async () => {
    await h?.close();
  });

  it(
    'batches of one configuration settling at once, with flow-controlled users gathered into shared re-sends, never deadlock',
    async () => {
      // Many settlements in flight at once through one configuration, most of them re-sending flow-controlled users
      // (the path that allocates batch numbers on the send's row): the mix that used to deadlock with the usage meter.
      h.sim.configure({ flowControl: { rate: 0.4 }, faults: { latencyMs: { min: 1, max: 30 }, qpsLimitPerApp: 100_000 } });
      const deadlocksBefore = await deadlocksIn(databaseUrl);
      // Enough flow-control attempts that nobody runs out of them (0.4^20).
      const worker = await h.startWorker(
        { concurrency: 24, flowControlMaxAttempts: 20, flowControlBaseDelayMs: 10 },
        undefined,
        { callsPerSecond: 2_000 },
      );

      const sends = await Promise.all([1, 2, 3].map(() => h.createSend({ userIds: h.users(600) })));
      for (const send of sends) {
        await waitFor(
          () => h.db.query(`SELECT completed_at FROM sends WHERE id = $1`, [send.id]).then(([row]) => row.completed_at as Date | null),
          (completedAt) => completedAt !== null,
          { timeoutMs: 90_000, intervalMs: 100, description: `send ${send.id} to complete` },
        );
      }
      // The deadlock counter is reported by the backend that detected one; closing the worker's pool flushes it.
      await h.stopWorker(worker);

      // Hundreds of users re-sent, many of them sharing a call: settlements joined each other's re-send batches.
      const [resent] = await h.db.query(
        `SELECT coalesce(sum(cardinality(user_ids)), 0)::int AS users, count(*) FILTER (WHERE cardinality(user_ids) > 1)::int AS shared
           FROM batches WHERE parent_batch_id IS NOT NULL AND send_id = ANY($1)`,
        [sends.map((s) => s.id)],
      );
      expect(resent.users).toBeGreaterThan(300);
      expect(resent.shared).toBeGreaterThan(0);
      for (const send of sends) {
        const recipients = await h.recipients(send.id);
        expect(recipients.filter((r) => r.status !== 'delivered')).toEqual([]);
        // Every settlement landed the first time: no batch was found in flight and counted as ambiguous.
        const batches = await h.batches(send.id);
        expect(batches.filter((b) => b.ambiguous_attempts > 0 || b.status !== BatchStatus.Sent)).toEqual([]);
      }
      expect(h.sim.ledger.summary().duplicateDeliveries).toBe(0);
      expect(await deadlocksIn(databaseUrl)).toBe(deadlocksBefore);
    },
    120_000,
  );

  it(
    'a settlement Postgres picks as a deadlock victim runs again and records the answer once',
    async () => {
      h.sim.configure({ flowControl: { rate: 0 }, faults: { latencyMs: 0 } });
      const userIds = h.users(5);
      // No worker is consuming: the job is dropped and the batch is delivered by hand, so the test decides when.
      const send = await h.createSend({ userIds });
      await h.deleteQueueKeys();
      const worker = await h.startWorker({ concurrency: 1 });
      const [batch] = await h.batches(send.id);
      const usageBefore = await billableCalls();

      const blocker = new pg.Client({ connectionString: databaseUrl, application_name: 'dingrelay-test-blocker' });
      await blocker.connect();
      try {
        // The blocker waits longer than Postgres's default 1 s before looking for a deadlock, so the settlement's own
        // check finds the cycle first and Postgres aborts the settlement, not the blocker.
        await blocker.query(`SET deadlock_timeout = '30s'`);
        await blocker.query('BEGIN');
        await blocker.query(`UPDATE sends SET updated_at = now() WHERE id = $1`, [send.id]);

        const delivering = worker.get(DeliverBatchUseCase).execute(batch!.id);
        // The settlement has updated the batch's recipients and now waits for the send's row.
        await waitFor(
          () =>
            h.db.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE sends SET updated_at%'
                  AND application_name <> 'dingrelay-test-blocker'`,
            ).then(([row]) => row.n as number),
          (n) => n === 1,
          { timeoutMs: 10_000, intervalMs: 20, description: 'the settlement to wait for the send row' },
        );
        // Closing the cycle: this waits for the recipient rows the settlement holds, which waits for the send row.
        // It can only go through once Postgres has rolled the settlement back, so it still sees them pending.
        const { rows } = await blocker.query(`UPDATE recipients SET updated_at = now() WHERE batch_id = $1 RETURNING status`, [batch!.id]);
        expect(rows.map((r: { status: string }) => r.status)).toEqual(Array(5).fill('pending'));
        await blocker.query('COMMIT');

        await expect(delivering).resolves.toMatchObject({ kind: 'settled', batchStatus: BatchStatus.Sent, counts: { delivered: 5 } });
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }

      const recipients = await h.recipients(send.id);
      expect(recipients.map((r) => [r.status, r.attempts, r.process_query_key !== null])).toEqual(Array(5).fill(['delivered', 1, true]));
      const [settled] = await h.batches(send.id);
      expect(settled).toMatchObject({ status: BatchStatus.Sent, attempts: 1, ambiguous_attempts: 0 });
      for (const userId of userIds) expect(h.sim.ledger.countFor(userId)).toBe(1);
      // The rolled-back run left nothing behind: one attempt on the timeline, one call on the meter.
      const events = await h.db.query(`SELECT type FROM send_events WHERE send_id = $1 AND type = 'batch.attempt'`, [send.id]);
      expect(events).toHaveLength(1);
      expect((await billableCalls()) - usageBefore).toBe(1);
      const [completed] = await h.db.query(`SELECT completed_at FROM sends WHERE id = $1`, [send.id]);
      expect(completed.completed_at).not.toBeNull();
      await h.stopWorker(worker);
    },
    DELIVERY_TEST_TIMEOUT_MS,
  );

  it(
    "a settlement while other batches of its send still wait for their call never waits for the send's row; the last one completes the send",
    async () => {
      h.sim.configure({ flowControl: { rate: 0 }, faults: { latencyMs: 0 } });
      const send = await h.createSend({ userIds: h.users(40) });
      await h.deleteQueueKeys();
      const worker = await h.startWorker({ concurrency: 1 });
      const [first, last] = await h.batches(send.id);

      const blocker = new pg.Client({ connectionString: databaseUrl, application_name: 'dingrelay-test-blocker' });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        // The lock a settlement that may be the send's last takes (UPDATE sends …); timeline rows still reference the send.
        await blocker.query(`SELECT 1 FROM sends WHERE id = $1 FOR NO KEY UPDATE`, [send.id]);
        // The second batch is still pending: the first's settlement is not the send's last and commits at once.
        const settled = await Promise.race([
          worker.get(DeliverBatchUseCase).execute(first!.id),
          new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 10_000)),
        ]);
        expect(settled).toMatchObject({ kind: 'settled', batchStatus: BatchStatus.Sent, counts: { delivered: 20 } });
        await blocker.query('COMMIT');
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
      expect((await h.send(send.id)).completed_at).toBeNull();
      // The send's row was not written, yet the status says when the send last changed: its timeline's latest entry.
      const [latest] = await h.db.query(`SELECT occurred_at FROM send_events WHERE send_id = $1 ORDER BY id DESC LIMIT 1`, [send.id]);
      const status = await (await h.producerUseCase(GetSendStatusUseCase)).execute(send.id);
      expect(status.updatedAt).toEqual(latest.occurred_at);
      expect(status.updatedAt.getTime()).toBeGreaterThan((await h.send(send.id)).created_at.getTime());

      await expect(worker.get(DeliverBatchUseCase).execute(last!.id)).resolves.toMatchObject({ kind: 'settled', counts: { delivered: 20 } });
      const [kept] = await h.db.query(`SELECT completed_at, recipient_summary FROM sends WHERE id = $1`, [send.id]);
      expect(kept).toEqual({ completed_at: expect.any(Date), recipient_summary: { delivered: 40 } });
      const events: { type: string }[] = await h.db.query(`SELECT type FROM send_events WHERE send_id = $1 ORDER BY id`, [send.id]);
      expect(events.map((e) => e.type).filter((t) => t === 'send.completed')).toEqual(['send.completed']);
      await h.stopWorker(worker);
    },
    DELIVERY_TEST_TIMEOUT_MS,
  );

  async function billableCalls(): Promise<number> {
    const [row] = await h.db.query(`SELECT coalesce(sum(billable_calls), 0)::int AS n FROM dingtalk_usage`);
    return row.n;
  }
});

/** The shared test database's server, under another database name. */
function privateDatabaseUrl(suffix: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}

/**
 * Deadlocks Postgres has detected in the database, once every other session on it has ended (a backend reports its
 * count when its transaction ends idle or when it exits; read from the server's maintenance database).
 */
async function deadlocksIn(databaseUrl: string): Promise<number> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await waitFor(
      () =>
        client
          .query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dingrelay-test-worker'`, [name])
          .then(({ rows }) => rows[0].n as number),
      (n) => n === 0,
      { timeoutMs: 10_000, intervalMs: 50, description: `worker sessions on ${name} to end` },
    );
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query(`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = $1`, [name]);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
