import { DeliveryPolicy, RecipientReason } from '@dingrelay/contracts';
import type { QueryRunner } from 'typeorm';
import { dedicatedTestDatabaseUrl, DELIVERY_TEST_TIMEOUT_MS, DeliveryHarness, waitFor } from './support/delivery-harness.js';

/**
 * Workers die and Redis forgets; Postgres remembers. Each test records sends with no worker listening, breaks
 * something the way a crash would, then starts a worker and runs one reconciler pass.
 *
 * This suite has a database of its own: a reconciler pass scans every open batch in the database (there is one
 * deployment per database), and the shared test database holds other suites' open batches — the API's 100k-recipient
 * acceptance test leaves 5,000 per run — which this worker would otherwise deliver to its simulator. For the same
 * reason two runs of this suite (two engineers, or CI, on one machine) must not overlap: they take turns on an
 * advisory lock, which Postgres releases by itself if a run dies.
 */
const SUITE_LOCK_KEY = 7_363_108_101;

describe('recovery: crashed calls and lost jobs', () => {
  let h: DeliveryHarness;
  let suiteLock: QueryRunner | undefined;

  beforeAll(async () => {
    h = await DeliveryHarness.start({ suite: 'recovery', databaseUrl: dedicatedTestDatabaseUrl('recovery') });
    suiteLock = h.db.createQueryRunner();
    await suiteLock.connect();
    await suiteLock.query('SELECT pg_advisory_lock($1)', [SUITE_LOCK_KEY]);
    // A run that died half-way leaves open batches in this database; settle them first so that every pass below
    // sees exactly this run's batches, then forget what the simulator saw of them.
    if ((await openBatches()) > 0) {
      const worker = await h.startWorker();
      await h.reconciler(worker).reconcileOnce(0);
      await waitFor(openBatches, (n) => n === 0, { timeoutMs: 15_000, description: 'batches left open by an earlier run to settle' });
      await h.stopWorker(worker);
    }
    h.sim.reset();
  }, DELIVERY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await suiteLock?.query('SELECT pg_advisory_unlock($1)', [SUITE_LOCK_KEY]);
    await suiteLock?.release();
    await h?.close();
  });

  /** Open batches in the suite's database: what a reconciler pass looks at. */
  async function openBatches(): Promise<number> {
    const [row] = await h.db.query(`SELECT count(*)::int AS n FROM batches WHERE status IN ('pending', 'in_flight')`);
    return (row as { n: number }).n;
  }

  it('a worker killed mid-call: at-most-once ends unknown without calling DingTalk; at-least-once re-sends and counts it', async () => {
    const mostOnceUsers = h.users(3);
    const leastOnceUsers = h.users(3);
    const mostOnce = await h.createSend({ userIds: mostOnceUsers, deliveryPolicy: DeliveryPolicy.AtMostOnce });
    const leastOnce = await h.createSend({ userIds: leastOnceUsers, deliveryPolicy: DeliveryPolicy.AtLeastOnce });

    // What a worker killed after claiming leaves: the batch in flight with one attempt, and its job gone with it.
    // UPDATE … RETURNING comes back from TypeORM as [rows, rowCount].
    const [claimed]: [{ id: string }[], number] = await h.db.query(
      `UPDATE batches SET status = 'in_flight', attempts = 1, updated_at = now() WHERE send_id = ANY($1) RETURNING id`,
      [[mostOnce.id, leastOnce.id]],
    );
    expect(claimed).toHaveLength(2);
    const queue = await h.queue();
    for (const { id } of claimed) await (await queue.getJob(id))!.remove();

    const worker = await h.startWorker();
    try {
      const callsBefore = h.sim.stats().batchSend.calls;
      expect(await h.reconciler(worker).reconcileOnce(0)).toBe(2);

      const unknown = await h.settled(mostOnce.id);
      for (const r of unknown) {
        expect(r).toMatchObject({ status: 'unknown', reason_code: RecipientReason.AmbiguousNotResent, attempts: 1, process_query_key: null });
        expect(r.reason_message).toContain('not re-sent because the send is at-most-once');
      }
      // The crashed call is the only one: attempts stay at 1.
      expect(await h.batches(mostOnce.id)).toEqual([
        expect.objectContaining({ status: 'unknown', attempts: 1, ambiguous_attempts: 1, last_error_code: RecipientReason.AmbiguousNotResent }),
      ]);

      const delivered = await h.settled(leastOnce.id);
      const [batch] = await h.batches(leastOnce.id);
      expect(batch).toMatchObject({ status: 'sent', attempts: 2, ambiguous_attempts: 1, last_error_code: null });
      for (const r of delivered) {
        // The lost call and the re-send both included the user.
        expect(r).toMatchObject({ status: 'delivered', attempts: 2, process_query_key: batch!.process_query_key });
      }

      // The simulated crash never reached DingTalk; only the at-least-once re-send did.
      for (const userId of mostOnceUsers) expect(h.sim.ledger.countFor(userId)).toBe(0);
      for (const userId of leastOnceUsers) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect(h.sim.stats().batchSend.calls - callsBefore).toBe(1);
      expect((await h.send(mostOnce.id)).completed_at).not.toBeNull();
      expect((await h.send(leastOnce.id)).completed_at).not.toBeNull();
    } finally {
      await h.stopWorker(worker);
    }
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('a send whose jobs Redis lost: one reconciler pass re-enqueues every batch, and every recipient is delivered once', async () => {
    const users = h.users(45);
    const send = await h.createSend({ userIds: users });
    expect(send).toMatchObject({ batches: 3, enqueued: true });
    const queue = await h.queue();
    expect(await queue.getWaitingCount()).toBe(3);

    // Redis flushed (or restarted without persistence) before any worker ran.
    await h.deleteQueueKeys();
    expect(await queue.getWaitingCount()).toBe(0);

    const worker = await h.startWorker();
    try {
      const reconciler = h.reconciler(worker);
      expect(await reconciler.reconcileOnce(0)).toBe(3);

      const recipients = await h.settled(send.id);
      expect(recipients.map((r) => r.status)).toEqual(users.map(() => 'delivered'));
      const batches = await h.batches(send.id);
      expect(batches.map((b) => [b.status, b.attempts, b.ambiguous_attempts])).toEqual([
        ['sent', 1, 0],
        ['sent', 1, 0],
        ['sent', 1, 0],
      ]);
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
      expect((await h.send(send.id)).completed_at).not.toBeNull();

      // Nothing is left open, so a second pass finds nothing to do and nothing is sent twice.
      expect(await reconciler.reconcileOnce(0)).toBe(0);
      expect(h.sim.ledger.summary().duplicateDeliveries).toBe(0);
    } finally {
      await h.stopWorker(worker);
    }
  }, DELIVERY_TEST_TIMEOUT_MS);

  it('a job Redis kept only a fragment of (a worker wrote to it after Redis restarted empty): the pass replaces it', async () => {
    const users = h.users(5);
    const send = await h.createSend({ userIds: users });
    const [batch] = await h.batches(send.id);
    const queue = await h.queue();
    await h.deleteQueueKeys();
    // What a worker still holding the job writes after the restart: one field of the job's hash, in no list.
    await queue.client.hset(queue.toKey(batch!.id), 'failedReason', 'Missing lock for job');
    const fragment = await queue.getJob(batch!.id);
    expect(await fragment?.getState()).toBe('stuck');

    const worker = await h.startWorker();
    try {
      expect(await h.reconciler(worker).reconcileOnce(0)).toBe(1);
      const recipients = await h.settled(send.id);
      expect(recipients.map((r) => r.status)).toEqual(users.map(() => 'delivered'));
      for (const userId of users) expect(h.sim.ledger.countFor(userId)).toBe(1);
    } finally {
      await h.stopWorker(worker);
    }
  }, DELIVERY_TEST_TIMEOUT_MS);
});
